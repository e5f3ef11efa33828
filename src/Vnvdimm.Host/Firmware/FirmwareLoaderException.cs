namespace Vnvdimm.Host.Firmware;

/// <summary>A linker/loader script the built-in firmware cannot execute (it comes from the host, so this is a host bug).</summary>
public sealed class FirmwareLoaderException(string message) : Exception(message);
