namespace Vnvdimm.Host.Configuration;

/// <summary>
/// A configuration or monitor error worded as QEMU words it. <see cref="Location"/> is the
/// command-line option it came from (QEMU prints "-device nvdimm,...: message"), or null when
/// QEMU reports it without one.
/// </summary>
public sealed class QemuOptionException : Exception
{
    public QemuOptionException(string message, string? location = null) : base(message) => Location = location;

    public string? Location { get; }

    /// <summary>The text after the program name, exactly as QEMU prints it.</summary>
    public string Formatted => Location is null ? Message : $"{Location}: {Message}";

    public QemuOptionException WithLocation(string location) => Location is null ? new QemuOptionException(Message, location) : this;
}
