using Vnvdimm.Guest.Acpi;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>64 KiB of guest RAM at 0x10000 and a port space that logs every access.</summary>
internal sealed class RecordingPlatform : IAmlPlatform
{
    public const ulong MemoryBase = 0x1_0000;

    private readonly Lock _lock = new();

    public byte[] Ram { get; } = new byte[0x1_0000];

    public List<(ushort Port, int Width, uint Value)> Writes { get; } = [];

    public List<(ushort Port, int Width)> Reads { get; } = [];

    public List<(ulong Address, int Length, bool Write)> MemoryAccesses { get; } = [];

    /// <summary>Value returned by port reads, by port.</summary>
    public Dictionary<ushort, uint> PortValues { get; } = [];

    /// <summary>Runs inside every port write (to observe concurrency).</summary>
    public Action? OnWrite { get; set; }

    public uint ReadPort(ushort port, int width)
    {
        lock (_lock)
        {
            Reads.Add((port, width));
        }
        return PortValues.TryGetValue(port, out uint value) ? value : 0;
    }

    public void WritePort(ushort port, int width, uint value)
    {
        OnWrite?.Invoke();
        lock (_lock)
        {
            Writes.Add((port, width, value));
        }
    }

    public bool TryReadMemory(GuestAddress address, Span<byte> destination)
    {
        MemoryAccesses.Add((address.Value, destination.Length, false));
        if (!InRange(address, destination.Length))
        {
            return false;
        }
        Ram.AsSpan((int)(address.Value - MemoryBase), destination.Length).CopyTo(destination);
        return true;
    }

    public bool TryWriteMemory(GuestAddress address, ReadOnlySpan<byte> source)
    {
        MemoryAccesses.Add((address.Value, source.Length, true));
        if (!InRange(address, source.Length))
        {
            return false;
        }
        source.CopyTo(Ram.AsSpan((int)(address.Value - MemoryBase)));
        return true;
    }

    private bool InRange(GuestAddress address, int length) =>
        address.Value >= MemoryBase && address.Value - MemoryBase + (ulong)length <= (ulong)Ram.Length;
}
