namespace Vnvdimm.Host.Json;

/// <summary>A message of QEMU's JSON parser ("JSON parse error, …"): QMP answers it as a GenericError, an option reports it as its error.</summary>
public sealed class JsonParseException(string message) : Exception(message);
