using System.Buffers;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// One live mmap of guest memory. Owns the mapping (plus QEMU's trailing guard page) and unmaps
/// it once it is disposed and no access is still running.
/// </summary>
/// <remarks>
/// Every access to the bytes holds a lease (<see cref="TryAcquire"/>/<see cref="Release"/>, one
/// interlocked operation each). <see cref="Dispose"/> refuses new leases at once, but the munmap
/// waits for the last lease to be released, so a vCPU copying while the machine shuts down never
/// touches an unmapped page (a SIGSEGV, or a write into whatever the kernel maps there next).
/// No span over the mapping leaves this assembly except inside a callback that holds a lease.
/// </remarks>
public sealed unsafe class MappedRegion : IDisposable
{
    // Bit 0: disposed (no new leases). Bits 1..: leases held, in steps of LeaseStep.
    private const int Disposed = 1;
    private const int LeaseStep = 2;

    private readonly nint _address;
    private readonly nuint _unmapLength;
    private int _state;
    private int _unmapped;
    private Action<MappedRegion>? _beforeUnmap;

    /// <param name="address">Start of the usable bytes.</param>
    /// <param name="length">Usable bytes from <paramref name="address"/>.</param>
    /// <param name="unmapLength">Bytes to munmap from <paramref name="address"/> (length plus guard page).</param>
    internal MappedRegion(nint address, ulong length, nuint unmapLength, bool writable)
    {
        _address = address;
        Length = length;
        _unmapLength = unmapLength;
        IsWritable = writable;
    }

    public ulong Length { get; }

    /// <summary>False for PROT_READ mappings (readonly=on); writing through them would fault.</summary>
    public bool IsWritable { get; }

    /// <summary>True once disposed: no new access starts (the munmap may still wait for running ones).</summary>
    public bool IsDisposed => (Volatile.Read(ref _state) & Disposed) != 0;

    /// <summary>True once the memory is really unmapped: disposed and every lease released.</summary>
    public bool IsUnmapped => Volatile.Read(ref _unmapped) != 0;

    /// <summary>Leases currently held (for tests and diagnostics).</summary>
    public int LeaseCount => Volatile.Read(ref _state) / LeaseStep;

    /// <summary>
    /// Takes a lease: until <see cref="Release"/> the mapping stays. False once disposed.
    /// </summary>
    internal bool TryAcquire()
    {
        int state = Volatile.Read(ref _state);
        while (true)
        {
            if ((state & Disposed) != 0 || state > int.MaxValue - LeaseStep)
            {
                return false;
            }
            int seen = Interlocked.CompareExchange(ref _state, state + LeaseStep, state);
            if (seen == state)
            {
                return true;
            }
            state = seen;
        }
    }

    /// <summary>Gives back a lease from <see cref="TryAcquire"/>; the last one after dispose unmaps.</summary>
    internal void Release()
    {
        if (Interlocked.Add(ref _state, -LeaseStep) == Disposed)
        {
            Unmap();
        }
    }

    /// <summary>Start of the bytes, for mbind while the owner allocates.</summary>
    internal nint Address => _address;

    /// <summary>Start of the bytes; only meaningful while a lease is held (or before publication).</summary>
    internal byte* Pointer => (byte*)_address;

    /// <summary>
    /// A view for a caller that holds a lease and checked the range itself (the address space's
    /// hot path); the caller must not keep it past its <see cref="Release"/>.
    /// </summary>
    internal Span<byte> LeasedSpan(ulong offset, int length) => new(Pointer + offset, length);

    /// <summary>
    /// Runs <paramref name="action"/> on a writable view of [<paramref name="offset"/>, +<paramref name="length"/>)
    /// with a lease held, so the span cannot outlive the mapping. False when the region is disposed.
    /// </summary>
    public bool TryAccess<TState>(ulong offset, int length, TState state, SpanAction<byte, TState> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!IsWritable)
        {
            throw new InvalidOperationException("The mapping is read-only.");
        }
        CheckRange(offset, length);
        if (!TryAcquire())
        {
            return false;
        }
        try
        {
            // Invariant: [offset, offset + length) lies inside the mapping (checked above), which
            // has PROT_WRITE and stays mapped while the lease is held.
            action(new Span<byte>(Pointer + offset, length), state);
            return true;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Copies [<paramref name="offset"/>, +destination.Length) out; false when disposed.</summary>
    public bool TryRead(ulong offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        if (!TryAcquire())
        {
            return false;
        }
        try
        {
            // Invariant: in range (checked above) and mapped while the lease is held.
            new ReadOnlySpan<byte>(Pointer + offset, destination.Length).CopyTo(destination);
            return true;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Copies <paramref name="source"/> in at <paramref name="offset"/>; false when disposed.</summary>
    public bool TryWrite(ulong offset, ReadOnlySpan<byte> source)
    {
        if (!IsWritable)
        {
            throw new InvalidOperationException("The mapping is read-only.");
        }
        CheckRange(offset, source.Length);
        if (!TryAcquire())
        {
            return false;
        }
        try
        {
            // Invariant: in range (checked above), PROT_WRITE, and mapped while the lease is held.
            source.CopyTo(new Span<byte>(Pointer + offset, source.Length));
            return true;
        }
        finally
        {
            Release();
        }
    }

    // Overflow-safe: compares against the remaining length instead of adding.
    private void CheckRange(ulong offset, int length)
    {
        if (length < 0 || offset > Length || (ulong)length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range 0x{offset:x}+0x{(uint)length:x} is outside the 0x{Length:x}-byte mapping.");
        }
    }

    // The helpers below run while the owner allocates (before the region is published), at unmap
    // time, or under a lease (Sync, from the backend's Flush).

    /// <summary>madvise over the whole usable length; returns 0 or the errno.</summary>
    internal int Advise(int advice) => Advise(0, Length, advice);

    internal int Advise(ulong offset, ulong length, int advice) =>
        Libc.madvise(_address + (nint)offset, (nuint)length, advice) == 0 ? 0 : Libc.Errno;

    internal int Sync(ulong offset, ulong length, int flags) =>
        Libc.msync(_address + (nint)offset, (nuint)length, flags) == 0 ? 0 : Libc.Errno;

    /// <summary>Touches one byte per page by writing back what it holds (QEMU's fallback prealloc).</summary>
    internal void TouchPages(ulong offset, ulong pages, ulong pageSize)
    {
        for (ulong i = 0; i < pages; i++)
        {
            // Invariant: callers keep offset + pages * pageSize within Length on a writable mapping.
            byte* p = Pointer + offset + i * pageSize;
            Volatile.Write(ref *p, Volatile.Read(ref *p));
        }
    }

    /// <summary>Pages of the mapping currently resident in memory (mincore).</summary>
    internal ulong CountResidentPages()
    {
        ulong pageSize = (ulong)Environment.SystemPageSize;
        ulong pages = (Length + pageSize - 1) / pageSize;
        byte[] vector = new byte[pages];
        if (!TryAcquire())
        {
            throw new ObjectDisposedException(nameof(MappedRegion));
        }
        try
        {
            fixed (byte* v = vector)
            {
                // Invariant: vector has one byte per page of the usable length, as mincore requires.
                if (Libc.mincore(_address, (nuint)Length, v) != 0)
                {
                    throw new IOException($"mincore failed: {Libc.StrError(Libc.Errno)}");
                }
            }
        }
        finally
        {
            Release();
        }
        ulong resident = 0;
        foreach (byte b in vector)
        {
            resident += (ulong)(b & 1);
        }
        return resident;
    }

    /// <summary>Disposes; <paramref name="beforeUnmap"/> runs right before the munmap, once no lease is held.</summary>
    internal void Dispose(Action<MappedRegion>? beforeUnmap)
    {
        if ((Volatile.Read(ref _state) & Disposed) != 0)
        {
            return;
        }
        _beforeUnmap = beforeUnmap;
        // Whoever sees the count at zero with the flag set unmaps: here if no lease is held,
        // else the last Release.
        if (Interlocked.Or(ref _state, Disposed) == 0)
        {
            Unmap();
        }
    }

    public void Dispose() => Dispose(null);

    // Reached exactly once: by Dispose with no lease held, or by the last Release after it.
    private void Unmap()
    {
        try
        {
            Interlocked.Exchange(ref _beforeUnmap, null)?.Invoke(this);
        }
        finally
        {
            Libc.munmap(_address, _unmapLength);
            Volatile.Write(ref _unmapped, 1);
        }
    }
}
