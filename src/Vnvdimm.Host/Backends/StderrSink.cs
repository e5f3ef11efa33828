namespace Vnvdimm.Host.Backends;

/// <summary>
/// Where a backend's diagnostics go. QEMU writes two kinds of lines: <see cref="Report"/> ones
/// come from error_report/warn_report and are printed after the program name ("prog: warning:
/// ..."); <see cref="Raw"/> ones come from fprintf/perror and are printed as they are.
/// Tests capture both to compare the exact text.
/// </summary>
public sealed class StderrSink
{
    public StderrSink(Action<string> report, Action<string> raw)
    {
        Report = report;
        Raw = raw;
    }

    /// <summary>Receives the text after "program: ", e.g. "warning: Using non DAX ...".</summary>
    public Action<string> Report { get; }

    /// <summary>Receives a whole line as printed, e.g. "Warning: requesting persistence ...".</summary>
    public Action<string> Raw { get; }

    /// <summary>
    /// Standard error when it is a terminal (for progress bars, which are drawn only there), else
    /// null: off a terminal long operations report one line through <see cref="Report"/> instead.
    /// </summary>
    public TextWriter? Terminal { get; init; }

    /// <summary>The process's standard error if it is a terminal, else null.</summary>
    public static TextWriter? StandardErrorTerminal => System.Console.IsErrorRedirected ? null : System.Console.Error;

    /// <summary>Writes to the process's stderr the way QEMU does, prefixing report lines with <paramref name="programName"/>.</summary>
    public static StderrSink Console(string programName) => new(
        text => System.Console.Error.WriteLine($"{programName}: {text}"),
        line => System.Console.Error.WriteLine(line))
    {
        Terminal = StandardErrorTerminal,
    };

    /// <summary>Both kinds of line into one list, report lines prefixed with <paramref name="programName"/>.</summary>
    public static StderrSink Collect(ICollection<string> lines, string programName = "qemu-system-x86_64") => new(
        text => lines.Add($"{programName}: {text}"),
        lines.Add);
}
