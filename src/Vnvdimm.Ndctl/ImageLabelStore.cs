using Microsoft.Win32.SafeHandles;

namespace Vnvdimm.Ndctl;

/// <summary>
/// The label area of a backend image: its last <see cref="Size"/> bytes, as QEMU carves label-size
/// from the end of the memory backend. Never changes the file's length. As <see cref="IDimmMedia"/>
/// it is the pmem in front of the label area: align_down(length − label-size, 4 KiB) bytes from offset 0.
/// </summary>
public sealed class ImageLabelStore : ILabelStore, IDimmMedia, IDisposable
{
    private readonly SafeFileHandle handle;
    private readonly long areaOffset;

    private ImageLabelStore(SafeFileHandle handle, long areaOffset, int size)
    {
        this.handle = handle;
        this.areaOffset = areaOffset;
        Size = size;
    }

    public int Size { get; }

    /// <summary>QEMU's page alignment of the pmem size for a file backend.</summary>
    private const long MediaAlignment = 4096;

    ulong IDimmMedia.Size => (ulong)(areaOffset / MediaAlignment * MediaAlignment);

    /// <summary>Opens an existing <paramref name="path"/> read-write; the reason says why not.</summary>
    public static ImageLabelStore? TryOpen(string path, int labelSize, out string? reason)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"{path}: {e.Message}";
            return null;
        }
        long length = RandomAccess.GetLength(handle);
        if (labelSize <= 0 || length < labelSize)
        {
            handle.Dispose();
            reason = $"{path}: {length} bytes cannot hold a {labelSize}-byte label area";
            return null;
        }
        reason = null;
        return new ImageLabelStore(handle, length - labelSize, labelSize);
    }

    public void Read(int offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        ReadAt(areaOffset + offset, destination);
    }

    void IDimmMedia.Read(ulong dpa, Span<byte> destination)
    {
        if (dpa + (ulong)destination.Length > ((IDimmMedia)this).Size)
        {
            throw new ArgumentOutOfRangeException(nameof(dpa), $"DPA [{dpa}, +{destination.Length}) is outside the media");
        }
        ReadAt((long)dpa, destination);
    }

    void IDimmMedia.Write(ulong dpa, ReadOnlySpan<byte> source)
    {
        if (dpa + (ulong)source.Length > ((IDimmMedia)this).Size)
        {
            throw new ArgumentOutOfRangeException(nameof(dpa), $"DPA [{dpa}, +{source.Length}) is outside the media");
        }
        RandomAccess.Write(handle, source, (long)dpa);
    }

    private void ReadAt(long position, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(handle, destination[done..], position + done);
            if (read == 0)
            {
                throw new IOException("the image shrank while it was read");
            }
            done += read;
        }
    }

    public void Write(int offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length);
        RandomAccess.Write(handle, source, areaOffset + offset);
    }

    private void CheckRange(int offset, int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{length}) is outside the {Size}-byte label area");
        }
    }

    public void Dispose() => handle.Dispose();
}
