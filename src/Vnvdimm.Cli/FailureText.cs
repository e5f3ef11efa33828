using Vnvdimm.Host.Interop;

namespace Vnvdimm.Cli;

/// <summary>
/// The one line the last-resort handlers print for an exception nothing else worded: its message's
/// first line and, for a file-system error, strerror's words for the errno behind it. Never a stack trace.
/// </summary>
public static class FailureText
{
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
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
