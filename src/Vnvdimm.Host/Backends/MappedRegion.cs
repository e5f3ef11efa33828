using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// One live mmap of guest memory. Owns the mapping (plus QEMU's trailing guard page) and unmaps
/// it on <see cref="Dispose"/>. Spans handed out must not outlive the region: the owner disposes
/// it only once nothing (device, guest) can still touch the memory.
/// </summary>
public sealed unsafe class MappedRegion : IDisposable
{
    private nint _address;
    private readonly nuint _unmapLength;

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

    public bool IsDisposed => _address == 0;

    internal nint Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _address;
        }
    }

    /// <summary>A writable view of <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public Span<byte> GetSpan(ulong offset, int length)
    {
        if (!IsWritable)
        {
            throw new InvalidOperationException("The mapping is read-only.");
        }
        nint start = Checked(offset, length);
        // Invariant: [start, start + length) lies inside a live mapping with PROT_WRITE (checked
        // above), and the mapping stays until Dispose.
        return new Span<byte>((void*)start, length);
    }

    /// <summary>A read-only view of <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public ReadOnlySpan<byte> GetReadOnlySpan(ulong offset, int length)
    {
        nint start = Checked(offset, length);
        // Invariant: [start, start + length) lies inside a live mapping with PROT_READ.
        return new ReadOnlySpan<byte>((void*)start, length);
    }

    // Overflow-safe: compares against the remaining length instead of adding.
    private nint Checked(ulong offset, int length)
    {
        nint address = Address;
        if (length < 0 || offset > Length || (ulong)length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range 0x{offset:x}+0x{(uint)length:x} is outside the 0x{Length:x}-byte mapping.");
        }
        return address + (nint)offset;
    }

    /// <summary>madvise over the whole usable length; returns 0 or the errno.</summary>
    internal int Advise(int advice) => Advise(0, Length, advice);

    internal int Advise(ulong offset, ulong length, int advice) =>
        Libc.madvise(Address + (nint)offset, (nuint)length, advice) == 0 ? 0 : Libc.Errno;

    internal int Sync(ulong offset, ulong length, int flags) =>
        Libc.msync(Address + (nint)offset, (nuint)length, flags) == 0 ? 0 : Libc.Errno;

    /// <summary>Touches one byte per page by writing back what it holds (QEMU's fallback prealloc).</summary>
    internal void TouchPages(ulong offset, ulong pages, ulong pageSize)
    {
        nint address = Address;
        for (ulong i = 0; i < pages; i++)
        {
            // Invariant: callers keep offset + pages * pageSize within Length on a writable mapping.
            byte* p = (byte*)(address + (nint)(offset + i * pageSize));
            Volatile.Write(ref *p, Volatile.Read(ref *p));
        }
    }

    /// <summary>Pages of the mapping currently resident in memory (mincore).</summary>
    internal ulong CountResidentPages()
    {
        ulong pageSize = (ulong)Environment.SystemPageSize;
        ulong pages = (Length + pageSize - 1) / pageSize;
        byte[] vector = new byte[pages];
        fixed (byte* v = vector)
        {
            // Invariant: vector has one byte per page of the usable length, as mincore requires.
            if (Libc.mincore(Address, (nuint)Length, v) != 0)
            {
                throw new IOException($"mincore failed: {Libc.StrError(Libc.Errno)}");
            }
        }
        ulong resident = 0;
        foreach (byte b in vector)
        {
            resident += (ulong)(b & 1);
        }
        return resident;
    }

    public void Dispose()
    {
        nint address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
        {
            Libc.munmap(address, _unmapLength);
        }
    }
}
