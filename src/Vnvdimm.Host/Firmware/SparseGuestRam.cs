using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Firmware;

/// <summary>
/// RAM at [0, size) that only stores the 4 KiB pages written to; unwritten pages read as zero.
/// Lets the CLI run the firmware for a 512 MiB guest without allocating 512 MiB.
/// </summary>
internal sealed class SparseGuestRam(ulong size) : IGuestMemory
{
    private const int PageSize = 4096;
    private readonly Dictionary<ulong, byte[]> _pages = [];

    public bool TryRead(GuestAddress address, Span<byte> destination)
    {
        if (!Contains(address, destination.Length))
        {
            return false;
        }
        ulong position = address.Value;
        while (!destination.IsEmpty)
        {
            int inPage = (int)(position % PageSize);
            int chunk = Math.Min(destination.Length, PageSize - inPage);
            if (_pages.TryGetValue(position / PageSize, out byte[]? page))
            {
                page.AsSpan(inPage, chunk).CopyTo(destination);
            }
            else
            {
                destination[..chunk].Clear();
            }
            destination = destination[chunk..];
            position += (ulong)chunk;
        }
        return true;
    }

    public bool TryWrite(GuestAddress address, ReadOnlySpan<byte> source)
    {
        if (!Contains(address, source.Length))
        {
            return false;
        }
        ulong position = address.Value;
        while (!source.IsEmpty)
        {
            int inPage = (int)(position % PageSize);
            int chunk = Math.Min(source.Length, PageSize - inPage);
            ulong index = position / PageSize;
            if (!_pages.TryGetValue(index, out byte[]? page))
            {
                page = new byte[PageSize];
                _pages[index] = page;
            }
            source[..chunk].CopyTo(page.AsSpan(inPage));
            source = source[chunk..];
            position += (ulong)chunk;
        }
        return true;
    }

    private bool Contains(GuestAddress address, int length) =>
        address.Value <= size && size - address.Value >= (ulong)length;
}
