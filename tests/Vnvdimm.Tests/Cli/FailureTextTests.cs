using Vnvdimm.Cli;

namespace Vnvdimm.Tests.Cli;

/// <summary>The last-resort line: one line, strerror's words for a file-system errno, never a stack trace.</summary>
public sealed class FailureTextTests
{
    [Fact]
    public void An_io_error_gets_strerror_for_the_errno_net_kept() =>
        Assert.Equal("write failed for '/img': No space left on device", FailureText.Describe(new IOException("write failed for '/img'.", 28)));

    [Fact]
    public void Not_found_and_access_denied_name_the_path_and_the_errno()
    {
        Assert.Equal("Could not find file '/x': No such file or directory", FailureText.Describe(new FileNotFoundException("Could not find file '/x'.", "/x")));
        Assert.Equal("Access to the path '/x' is denied: Permission denied", FailureText.Describe(new UnauthorizedAccessException("Access to the path '/x' is denied.")));
    }

    [Fact]
    public void A_message_that_already_says_it_is_not_repeated() =>
        Assert.Equal("/img: No space left on device", FailureText.Describe(new IOException("/img: No space left on device", 28)));

    [Fact]
    public void Only_the_first_line_of_any_other_exception()
    {
        var e = new InvalidOperationException("the guest stopped\n   at Somewhere.Deep()");
        Assert.Equal("the guest stopped", FailureText.Describe(e));
        Assert.Equal("NullReferenceException", FailureText.Describe(new NullReferenceException(string.Empty)));
    }
}
