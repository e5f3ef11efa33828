namespace Vnvdimm.Host.Configuration;

/// <summary>
/// A help option ("-machine help", "-device nvdimm,help", …): QEMU prints it and exits with
/// status 0 at the point of its option loop where it is met, so this ends the parse.
/// <see cref="Stdout"/> is the text to print; <see cref="Error"/> a message QEMU prints on stderr
/// instead (it still exits 0, e.g. "Device 'foo' not found" for "-device foo,help").
/// </summary>
public sealed class HelpRequestedException(HelpTopic topic, string stdout = "", QemuOptionException? error = null)
    : Exception($"help requested: {topic}")
{
    public HelpTopic Topic { get; } = topic;

    public string Stdout { get; } = stdout;

    public QemuOptionException? Error { get; } = error;
}

/// <summary>Which help: the program's usage and version texts are the program's; the rest is QEMU's.</summary>
public enum HelpTopic
{
    Usage,
    Version,
    Options,
}
