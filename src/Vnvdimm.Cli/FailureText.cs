using Vnvdimm.Host.Interop;

namespace Vnvdimm.Cli;

/// <summary>
/// The one line the last-resort handlers print for an exception nothing else worded: its message's
/// first line and, for a file-system error, strerror's words for the errno behind it. Never a stack trace.
/// </summary>
public static class FailureText
{
    /// <summary>Lets a test see what reached a last-resort handler: each such exception is a bug to fix at its cause.</summary>
    internal static readonly AsyncLocal<Action<Exception>?> Witness = new();

    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Witness.Value?.Invoke(e);
        string message = FirstLine(e.Message);
        if (e is IOException or UnauthorizedAccessException)
        {
            int errno = PosixFiles.ErrnoOf(e);
            if (errno != 0)
            {
                string reason = PosixFiles.StrError(errno);
                if (!message.Contains(reason, StringComparison.Ordinal))
                {
                    message = $"{message.TrimEnd('.')}: {reason}";
                }
            }
        }
        return message.Length == 0 ? e.GetType().Name : message;
    }

    private static string FirstLine(string text)
    {
        int newline = text.IndexOfAny(['\r', '\n']);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
