namespace Vnvdimm.Tests.TestSupport;

/// <summary>
/// What one run of qemu-system-x86_64 or vnvdimm produced, normalized for comparison: the
/// program name is "PROG", the scratch folder is "@DIR@", monitor output is split per command.
/// </summary>
public sealed record MachineRun(int ExitCode, string Stdout, string Stderr, IReadOnlyList<string> MonitorOutputs)
{
    /// <summary>The first error line: the first stderr line from the program that is not a warning.</summary>
    public string? FirstErrorLine => Stderr.Split('\n')
        .FirstOrDefault(line => line.StartsWith("PROG: ", StringComparison.Ordinal) && !line.Contains("warning: ", StringComparison.Ordinal));

    /// <summary>The comparable outcome: the error line for a refused configuration, else the monitor output.</summary>
    public string Outcome => ExitCode != 0
        ? $"exit≠0: {FirstErrorLine ?? "(no error line) " + Stderr}"
        : string.Join("\n--- next command ---\n", MonitorOutputs);
}
