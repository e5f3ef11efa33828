using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Platform.Bus;

/// <summary>
/// What a guest reaches besides its CPU: guest-physical memory, the 64 KiB x86 I/O port space
/// and the ACPI GPE0 status register that drives the SCI. The host builds it; devices register
/// port handlers on it; the guest (or a CPU model) issues accesses through it.
/// </summary>
/// <remarks>
/// Thread-safe. Port lookups never lock: registration publishes a new immutable handler table,
/// so a vCPU sees the table either before or after a concurrent registration. As on a PC, an
/// access that no handler covers entirely reads as all-ones and a write to it is dropped.
/// </remarks>
public sealed class PlatformBus(IGuestMemory memory)
{
    /// <summary>Ports are 16-bit: 0x0000–0xFFFF.</summary>
    public const int PortSpaceSize = 0x1_0000;

    private readonly Lock _registrationLock = new();
    private PortRange[] _ports = [];
    private ulong _gpe0Status;

    /// <summary>Guest-physical memory, as devices doing DMA see it.</summary>
    public IGuestMemory Memory { get; } = memory ?? throw new ArgumentNullException(nameof(memory));

    /// <summary>The GPE0 status bits (GPE0_STS); bit n is GPE n.</summary>
    public ulong Gpe0Status => Interlocked.Read(ref _gpe0Status);

    /// <summary>
    /// Raised after <see cref="SetGpe0Status"/> sets a bit, on the caller's thread, with the status
    /// as it was right after the set. Raised on every set, even of a bit already pending: the SCI
    /// is level-triggered, so a guest that has not yet cleared the bit must still run its handler.
    /// </summary>
    public event Action<ulong>? Sci;

    /// <summary>Routes ports [<paramref name="basePort"/>, <paramref name="basePort"/> + <paramref name="length"/>) to <paramref name="handler"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or ends past port 0xFFFF.</exception>
    /// <exception cref="InvalidOperationException">The range overlaps one already registered.</exception>
    public void RegisterPortIo(ushort basePort, int length, IPortIoHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, PortSpaceSize - basePort);
        var range = new PortRange(basePort, basePort + length, handler);
        lock (_registrationLock)
        {
            PortRange[] current = _ports;
            int index = 0;
            while (index < current.Length && current[index].Start < range.Start)
            {
                index++;
            }
            if ((index > 0 && current[index - 1].End > range.Start) || (index < current.Length && current[index].Start < range.End))
            {
                PortRange other = index > 0 && current[index - 1].End > range.Start ? current[index - 1] : current[index];
                throw new InvalidOperationException(
                    $"I/O ports [0x{range.Start:x4}, 0x{range.End:x4}) overlap [0x{other.Start:x4}, 0x{other.End:x4}), already registered.");
            }
            Volatile.Write(ref _ports, [.. current[..index], range, .. current[index..]]);
        }
    }

    /// <summary>An IN of <paramref name="size"/> bytes (1, 2 or 4) from <paramref name="port"/>.</summary>
    /// <returns>The handler's value, masked to <paramref name="size"/>; all-ones when no handler covers the whole access.</returns>
    public uint ReadPort(ushort port, int size)
    {
        uint mask = SizeMask(size);
        return TryFind(port, size, out PortRange range)
            ? range.Handler.Read((ushort)(port - range.Start), size) & mask
            : mask;
    }

    /// <summary>An OUT of the low <paramref name="size"/> bytes (1, 2 or 4) of <paramref name="value"/> to <paramref name="port"/>; dropped when no handler covers the whole access.</summary>
    public void WritePort(ushort port, int size, uint value)
    {
        uint mask = SizeMask(size);
        if (TryFind(port, size, out PortRange range))
        {
            range.Handler.Write((ushort)(port - range.Start), size, value & mask);
        }
    }

    /// <summary>Sets GPE0 status bit <paramref name="bit"/> (0–63) and asserts the SCI (<see cref="Sci"/>).</summary>
    public void SetGpe0Status(int bit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bit, 63);
        ulong bitMask = 1UL << bit;
        ulong status = Interlocked.Or(ref _gpe0Status, bitMask) | bitMask;
        Sci?.Invoke(status);
    }

    /// <summary>Clears the GPE0 status bits set in <paramref name="mask"/> (the guest's write-1-to-clear); returns the status left.</summary>
    public ulong ClearGpe0Status(ulong mask) => Interlocked.And(ref _gpe0Status, ~mask) & ~mask;

    // The handler whose range holds every byte of the access; an access straddling a range
    // boundary is left unassigned rather than split.
    private bool TryFind(ushort port, int size, out PortRange found)
    {
        PortRange[] ports = Volatile.Read(ref _ports);
        int end = port + size;
        int low = 0;
        int high = ports.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            PortRange range = ports[middle];
            if (port < range.Start)
            {
                high = middle - 1;
            }
            else if (port >= range.End)
            {
                low = middle + 1;
            }
            else
            {
                found = range;
                return end <= range.End;
            }
        }
        found = default;
        return false;
    }

    // x86 has 8-, 16- and 32-bit port accesses only; any other width is a bug in the caller.
    private static uint SizeMask(int size) => size switch
    {
        1 => 0xFF,
        2 => 0xFFFF,
        4 => 0xFFFF_FFFF,
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "Port accesses are 1, 2 or 4 bytes."),
    };

    private readonly record struct PortRange(int Start, int End, IPortIoHandler Handler);
}
