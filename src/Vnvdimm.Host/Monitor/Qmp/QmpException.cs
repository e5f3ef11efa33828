namespace Vnvdimm.Host.Monitor.Qmp;

/// <summary>A QMP error reply: QEMU's error class ("GenericError", "CommandNotFound", "DeviceNotFound") and text.</summary>
public sealed class QmpException(string errorClass, string description) : Exception(description)
{
    public const string GenericError = "GenericError";
    public const string CommandNotFound = "CommandNotFound";
    public const string DeviceNotFound = "DeviceNotFound";

    public QmpException(string description) : this(GenericError, description)
    {
    }

    public string ErrorClass { get; } = errorClass;
}
