using Vnvdimm.Host.Backends;

namespace Vnvdimm.Tests.Host.Backends;

/// <summary>Test shorthands over a backend's leased copy and access methods.</summary>
internal static class BackendBytes
{
    public static byte[] ReadBytes(this MemoryBackend backend, ulong offset, int length)
    {
        var bytes = new byte[length];
        backend.Read(offset, bytes);
        return bytes;
    }

    public static void Fill(this MemoryBackend backend, ulong offset, int length, byte value) =>
        backend.Access(offset, length, value, static (span, v) => span.Fill(v));
}
