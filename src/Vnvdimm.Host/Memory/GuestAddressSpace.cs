using System.Collections.ObjectModel;
using Vnvdimm.Host.Backends;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Memory;

/// <summary>
/// The guest-physical address space: non-overlapping <see cref="GuestMemoryRegion"/>s sorted by
/// base address. Reads and writes span adjacent regions and are all-or-nothing.
/// </summary>
/// <remarks>
/// Readers (vCPUs, devices, the built-in guest) never lock: each access works on one immutable
/// snapshot, so it sees the regions as they were either before or after a concurrent
/// <see cref="Add"/>. Regions are never removed (QEMU 7.2's NVDIMMs cannot be unplugged). The
/// address space does not own the backends; their owner keeps them mapped while it is in use.
/// A zero-length access succeeds at any address, since no byte of it is unmapped.
/// </remarks>
public sealed class GuestAddressSpace : IGuestMemory
{
    private Snapshot _snapshot = Snapshot.Empty;

    /// <summary>The regions, sorted by base address; an immutable snapshot.</summary>
    public IReadOnlyList<GuestMemoryRegion> Regions => Volatile.Read(ref _snapshot).Regions;

    /// <summary>Maps <paramref name="region"/>; safe to call while other threads access memory.</summary>
    /// <exception cref="GuestMemoryOverlapException">Part of the range is already mapped.</exception>
    /// <exception cref="ArgumentException">The region is empty, ends past 2^64, or lies outside its (allocated) backend.</exception>
    public void Add(GuestMemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var slot = new Slot(region.Base.Value, region.Last.Value, Validate(region), region.BackendOffset);
        // Lock-free for readers; concurrent adders just retry on the newer snapshot.
        while (true)
        {
            Snapshot current = Volatile.Read(ref _snapshot);
            Snapshot next = current.With(region, slot);
            if (Interlocked.CompareExchange(ref _snapshot, next, current) == current)
            {
                return;
            }
        }
    }

    public bool TryRead(GuestAddress address, Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return true;
        }
        Slot[] slots = Volatile.Read(ref _snapshot).Slots;
        int i = FindCovering(slots, address.Value, destination.Length, write: false);
        if (i < 0)
        {
            return false;
        }
        ulong cursor = address.Value;
        while (true)
        {
            ref readonly Slot slot = ref slots[i];
            int chunk = slot.ChunkAt(cursor, destination.Length);
            slot.Mapping.GetReadOnlySpan(slot.BackendOffset + (cursor - slot.Start), chunk).CopyTo(destination);
            if (chunk == destination.Length)
            {
                return true;
            }
            destination = destination[chunk..];
            cursor += (ulong)chunk;
            i++;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Also false when any byte falls in a read-only region (readonly=on backend).</remarks>
    public bool TryWrite(GuestAddress address, ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty)
        {
            return true;
        }
        Slot[] slots = Volatile.Read(ref _snapshot).Slots;
        int i = FindCovering(slots, address.Value, source.Length, write: true);
        if (i < 0)
        {
            return false;
        }
        ulong cursor = address.Value;
        while (true)
        {
            ref readonly Slot slot = ref slots[i];
            int chunk = slot.ChunkAt(cursor, source.Length);
            source[..chunk].CopyTo(slot.Mapping.GetSpan(slot.BackendOffset + (cursor - slot.Start), chunk));
            if (chunk == source.Length)
            {
                return true;
            }
            source = source[chunk..];
            cursor += (ulong)chunk;
            i++;
        }
    }

    /// <summary>
    /// Zero-copy access to [<paramref name="address"/>, +<paramref name="length"/>) when it lies
    /// inside one writable region. The span aliases guest memory, which the guest may change at
    /// any time: copy before validating what it holds.
    /// </summary>
    public bool TryGetSpan(GuestAddress address, int length, out Span<byte> span)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        span = default;
        if (length == 0)
        {
            return true;
        }
        Slot[] slots = Volatile.Read(ref _snapshot).Slots;
        int i = Find(slots, address.Value);
        if (i < 0)
        {
            return false;
        }
        ref readonly Slot slot = ref slots[i];
        if (!slot.Mapping.IsWritable || slot.ChunkAt(address.Value, length) != length)
        {
            return false;
        }
        span = slot.Mapping.GetSpan(slot.BackendOffset + (address.Value - slot.Start), length);
        return true;
    }

    private static MappedRegion Validate(GuestMemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(region.Backend);
        ArgumentNullException.ThrowIfNull(region.Name);
        if (region.Length == 0)
        {
            throw new ArgumentException($"guest memory region {region} is empty", nameof(region));
        }
        if (region.Length - 1 > ulong.MaxValue - region.Base.Value)
        {
            throw new ArgumentException($"guest memory region {region} ends past 2^64", nameof(region));
        }
        MemoryBackend backend = region.Backend;
        if (backend.Region is not { IsDisposed: false } mapping)
        {
            throw new ArgumentException($"backend '{backend.Id}' of guest memory region {region} is not allocated", nameof(region));
        }
        if (region.BackendOffset > backend.Size || region.Length > backend.Size - region.BackendOffset)
        {
            throw new ArgumentException(
                $"guest memory region {region} needs bytes [0x{region.BackendOffset:x}, +0x{region.Length:x}) of backend '{backend.Id}', which has 0x{backend.Size:x}",
                nameof(region));
        }
        return mapping;
    }

    /// <summary>Index of the region holding <paramref name="address"/>, or -1.</summary>
    private static int Find(Slot[] slots, ulong address)
    {
        int low = 0;
        int high = slots.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            ref readonly Slot slot = ref slots[middle];
            if (address < slot.Start)
            {
                high = middle - 1;
            }
            else if (address > slot.Last)
            {
                low = middle + 1;
            }
            else
            {
                return middle;
            }
        }
        return -1;
    }

    /// <summary>
    /// Index of the first region of [address, address + length) when every byte is mapped (and
    /// writable for writes), else -1. Checked in full before any byte is copied.
    /// </summary>
    private static int FindCovering(Slot[] slots, ulong address, int length, bool write)
    {
        // The last byte, compared instead of an exclusive end that would wrap at 2^64.
        ulong last = unchecked(address + (ulong)(length - 1));
        if (last < address)
        {
            return -1;
        }
        int first = Find(slots, address);
        if (first < 0)
        {
            return -1;
        }
        for (int i = first; ; i++)
        {
            ref readonly Slot slot = ref slots[i];
            if (write && !slot.Mapping.IsWritable)
            {
                return -1;
            }
            if (last <= slot.Last)
            {
                return first;
            }
            // slot.Last < last, so slot.Last + 1 cannot wrap; the next region must start there.
            if (i + 1 == slots.Length || slots[i + 1].Start != slot.Last + 1)
            {
                return -1;
            }
        }
    }

    /// <summary>A region as the hot path needs it: inclusive bounds and the live mapping.</summary>
    private readonly struct Slot(ulong start, ulong last, MappedRegion mapping, ulong backendOffset)
    {
        public ulong Start { get; } = start;

        public ulong Last { get; } = last;

        public MappedRegion Mapping { get; } = mapping;

        public ulong BackendOffset { get; } = backendOffset;

        /// <summary>How many of <paramref name="remaining"/> (> 0) bytes from <paramref name="cursor"/> lie in this region.</summary>
        public int ChunkAt(ulong cursor, int remaining) =>
            (ulong)(remaining - 1) <= Last - cursor ? remaining : (int)(Last - cursor + 1);
    }

    /// <summary>An immutable region set; <see cref="Add"/> replaces it whole.</summary>
    private sealed class Snapshot(Slot[] slots, GuestMemoryRegion[] regions)
    {
        public static readonly Snapshot Empty = new([], []);

        public Slot[] Slots { get; } = slots;

        public ReadOnlyCollection<GuestMemoryRegion> Regions { get; } = Array.AsReadOnly(regions);

        /// <summary>A copy with <paramref name="region"/> inserted in order.</summary>
        public Snapshot With(GuestMemoryRegion region, Slot slot)
        {
            // Regions do not overlap, so only the neighbours of the insertion point can collide.
            int index = 0;
            while (index < Slots.Length && Slots[index].Start < slot.Start)
            {
                index++;
            }
            if (index > 0 && Slots[index - 1].Last >= slot.Start)
            {
                throw new GuestMemoryOverlapException(region, Regions[index - 1]);
            }
            if (index < Slots.Length && Slots[index].Start <= slot.Last)
            {
                throw new GuestMemoryOverlapException(region, Regions[index]);
            }
            Slot[] slots = [.. Slots[..index], slot, .. Slots[index..]];
            GuestMemoryRegion[] regions = [.. Regions.Take(index), region, .. Regions.Skip(index)];
            return new Snapshot(slots, regions);
        }
    }
}
