using System.Buffers;
using System.Collections.ObjectModel;
using Vnvdimm.Host.Backends;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Memory;

/// <summary>
/// The guest-physical address space: non-overlapping <see cref="GuestMemoryRegion"/>s sorted by
/// base address. Reads and writes span adjacent regions and are all-or-nothing.
/// </summary>
/// <remarks>
/// <para>Readers (vCPUs, devices, the built-in guest) never lock: each access works on one
/// immutable snapshot, so it sees the regions as they were either before or after a concurrent
/// <see cref="Add"/>. Regions are never removed one by one (QEMU 7.2's NVDIMMs cannot be
/// unplugged); <see cref="Dispose"/> removes them all when the machine goes away.</para>
/// <para>The address space does not own the backends. Each access leases the mappings it
/// touches for the duration of its copy (<see cref="MappedRegion.TryAcquire"/>), so a backend
/// disposed meanwhile is unmapped only after the copy; an access that starts after that answers
/// false. No span over guest memory escapes: <see cref="TryAccess"/> hands one to a callback
/// only. A zero-length access succeeds at any address, since no byte of it is unmapped.</para>
/// </remarks>
public sealed class GuestAddressSpace : IGuestMemory, IDisposable
{
    private Snapshot _snapshot = Snapshot.Empty;

    /// <summary>The regions, sorted by base address; an immutable snapshot.</summary>
    public IReadOnlyList<GuestMemoryRegion> Regions => Volatile.Read(ref _snapshot).Regions;

    /// <summary>True once disposed: nothing is mapped and <see cref="Add"/> is refused.</summary>
    public bool IsDisposed => Volatile.Read(ref _snapshot) == Snapshot.Closed;

    /// <summary>Maps <paramref name="region"/>; safe to call while other threads access memory.</summary>
    /// <exception cref="GuestMemoryOverlapException">Part of the range is already mapped.</exception>
    /// <exception cref="ArgumentException">The region is empty, ends past 2^64, or lies outside its (allocated) backend.</exception>
    /// <exception cref="ObjectDisposedException">The address space is disposed.</exception>
    public void Add(GuestMemoryRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        var slot = new Slot(region.Base.Value, region.Last.Value, Validate(region), region.BackendOffset);
        // Lock-free for readers; concurrent adders just retry on the newer snapshot.
        while (true)
        {
            Snapshot current = Volatile.Read(ref _snapshot);
            ObjectDisposedException.ThrowIf(current == Snapshot.Closed, this);
            Snapshot next = current.With(region, slot);
            if (Interlocked.CompareExchange(ref _snapshot, next, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Removes every region for good: later accesses answer false and <see cref="Add"/> throws.
    /// Accesses already running finish on their leases. Idempotent.
    /// </summary>
    public void Dispose() => Volatile.Write(ref _snapshot, Snapshot.Closed);

    public bool TryRead(GuestAddress address, Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return true;
        }
        Slot[] slots = Volatile.Read(ref _snapshot).Slots;
        int first = FindCovering(slots, address.Value, destination.Length, write: false, out int count);
        if (first < 0 || !TryAcquire(slots, first, count))
        {
            return false;
        }
        try
        {
            ulong cursor = address.Value;
            for (int i = first; ; i++)
            {
                ref readonly Slot slot = ref slots[i];
                int chunk = slot.ChunkAt(cursor, destination.Length);
                slot.Mapping.LeasedSpan(slot.BackendOffset + (cursor - slot.Start), chunk).CopyTo(destination);
                if (chunk == destination.Length)
                {
                    return true;
                }
                destination = destination[chunk..];
                cursor += (ulong)chunk;
            }
        }
        finally
        {
            Release(slots, first, count);
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
        int first = FindCovering(slots, address.Value, source.Length, write: true, out int count);
        if (first < 0 || !TryAcquire(slots, first, count))
        {
            return false;
        }
        try
        {
            ulong cursor = address.Value;
            for (int i = first; ; i++)
            {
                ref readonly Slot slot = ref slots[i];
                int chunk = slot.ChunkAt(cursor, source.Length);
                source[..chunk].CopyTo(slot.Mapping.LeasedSpan(slot.BackendOffset + (cursor - slot.Start), chunk));
                if (chunk == source.Length)
                {
                    return true;
                }
                source = source[chunk..];
                cursor += (ulong)chunk;
            }
        }
        finally
        {
            Release(slots, first, count);
        }
    }

    /// <summary>
    /// Zero-copy access to [<paramref name="address"/>, +<paramref name="length"/>) when it lies
    /// inside one writable region: <paramref name="action"/> runs on a span aliasing guest memory,
    /// with the mapping leased, so the span cannot outlive it. The guest may change the bytes at
    /// any time: copy before validating what they hold. False (and no call) when any byte is not
    /// mapped; a zero length calls <paramref name="action"/> with an empty span.
    /// </summary>
    public bool TryAccess<TState>(GuestAddress address, int length, TState state, SpanAction<byte, TState> action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(action);
        if (length == 0)
        {
            action([], state);
            return true;
        }
        Slot[] slots = Volatile.Read(ref _snapshot).Slots;
        int i = Find(slots, address.Value);
        if (i < 0)
        {
            return false;
        }
        ref readonly Slot slot = ref slots[i];
        if (!slot.Mapping.IsWritable || slot.ChunkAt(address.Value, length) != length || !slot.Mapping.TryAcquire())
        {
            return false;
        }
        try
        {
            action(slot.Mapping.LeasedSpan(slot.BackendOffset + (address.Value - slot.Start), length), state);
            return true;
        }
        finally
        {
            slot.Mapping.Release();
        }
    }

    // Leases every mapping of slots[first .. first + count) or none.
    private static bool TryAcquire(Slot[] slots, int first, int count)
    {
        for (int i = first; i < first + count; i++)
        {
            if (!slots[i].Mapping.TryAcquire())
            {
                Release(slots, first, i - first);
                return false;
            }
        }
        return true;
    }

    private static void Release(Slot[] slots, int first, int count)
    {
        for (int i = first; i < first + count; i++)
        {
            slots[i].Mapping.Release();
        }
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
    /// writable for writes), else -1; <paramref name="count"/> regions hold it. Checked in full
    /// before any byte is copied.
    /// </summary>
    private static int FindCovering(Slot[] slots, ulong address, int length, bool write, out int count)
    {
        count = 0;
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
                count = i - first + 1;
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

        /// <summary>The disposed address space: maps nothing, and refuses regions.</summary>
        public static readonly Snapshot Closed = new([], []);

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
