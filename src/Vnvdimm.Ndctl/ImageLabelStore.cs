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

    /// <summary>
    /// Opens an existing regular file <paramref name="path"/> read-write (never creating, truncating
    /// or writing it); the reason says why not, in QEMU's words for a memory-backend-file's mem-path
    /// and an nvdimm's label-size. With <paramref name="expectedLength"/> (vnvdimm image --size) a
    /// file of another length is refused: a user's file is never resized.
    /// </summary>
    public static ImageLabelStore? TryOpen(string path, int labelSize, out string? reason, ulong? expectedLength = null)
    {
        if (Directory.Exists(path))
        {
            reason = CannotOpen(path, "Is a directory");
            return null;
        }
        if (!File.Exists(path) || IsDanglingLink(path, out _))
        {
            // .NET's File.Exists is true for a dangling symbolic link; open(2) says ENOENT for both.
            reason = CannotOpen(path, "No such file or directory");
            return null;
        }
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (UnauthorizedAccessException)
        {
            reason = CannotOpen(path, "Permission denied");
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            reason = CannotOpen(path, "No such file or directory");
            return null;
        }
        catch (IOException e)
        {
            reason = CannotOpen(path, e.Message);
            return null;
        }
        long length;
        try
        {
            length = RandomAccess.GetLength(handle);
        }
        catch (NotSupportedException)
        {
            // A FIFO or socket: QEMU's mmap of it fails with ENODEV.
            handle.Dispose();
            reason = $"unable to map backing store {path}: No such device";
            return null;
        }
        reason = expectedLength is ulong wanted && wanted != (ulong)length
            ? $"backing store size 0x{length:x} does not match 'size' option 0x{wanted:x}"
            : CheckGeometry(path, (ulong)length, labelSize);
        if (reason is not null)
        {
            handle.Dispose();
            return null;
        }
        return new ImageLabelStore(handle, length - labelSize, labelSize);
    }

    /// <summary>
    /// QEMU's nvdimm check: the backend must hold the label area and at least one aligned page of
    /// pmem in front of it; null when it does, else QEMU's message naming the file.
    /// </summary>
    public static string? CheckGeometry(string path, ulong length, int labelSize)
    {
        if (labelSize >= 0 && length > (ulong)labelSize && (length - (ulong)labelSize) / MediaAlignment > 0)
        {
            return null;
        }
        return $"the size of {path} (0x{length:x}) is too small to contain nvdimm label (0x{labelSize:x}) and aligned PMEM (0x{MediaAlignment:x})";
    }

    /// <summary>True when <paramref name="path"/> is a symbolic link whose final target does not exist (or loops).</summary>
    public static bool IsDanglingLink(string path, out string? target)
    {
        var link = new FileInfo(path);
        target = link.LinkTarget;
        if (target is null)
        {
            return false;
        }
        try
        {
            FileSystemInfo? final = File.ResolveLinkTarget(path, returnFinalTarget: true);
            return final is null || !(final.Exists || Directory.Exists(final.FullName));
        }
        catch (IOException)
        {
            // ELOOP: as unusable as a missing target.
            return true;
        }
    }

    private static string CannotOpen(string path, string error) => $"can't open backing store {path}: {error}";

    public void Read(int offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        ReadAt(areaOffset + offset, destination);
    }

    void IDimmMedia.Read(ulong dpa, Span<byte> destination)
    {
        if (dpa > ((IDimmMedia)this).Size || (ulong)destination.Length > ((IDimmMedia)this).Size - dpa)
        {
            throw new ArgumentOutOfRangeException(nameof(dpa), $"DPA [{dpa}, +{destination.Length}) is outside the media");
        }
        ReadAt((long)dpa, destination);
    }

    void IDimmMedia.Write(ulong dpa, ReadOnlySpan<byte> source)
    {
        if (dpa > ((IDimmMedia)this).Size || (ulong)source.Length > ((IDimmMedia)this).Size - dpa)
        {
            throw new ArgumentOutOfRangeException(nameof(dpa), $"DPA [{dpa}, +{source.Length}) is outside the media");
        }
        RandomAccess.Write(handle, source, (long)dpa);
    }

    void IDimmMedia.Zero(ulong dpa, ulong length)
    {
        if (dpa > ((IDimmMedia)this).Size || length > ((IDimmMedia)this).Size - dpa)
        {
            throw new ArgumentOutOfRangeException(nameof(dpa), $"DPA [{dpa}, +{length}) is outside the media");
        }
        // A hole reads as zeros and costs no blocks: a 1 TiB sector namespace's 1 GiB map stays sparse.
        if (length > 0 && !FileHoles.TryPunch(handle, (long)dpa, (long)length))
        {
            byte[] zeros = new byte[(int)Math.Min(length, 1UL << 20)];
            for (ulong done = 0; done < length; done += (ulong)zeros.Length)
            {
                RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min((ulong)zeros.Length, length - done)), (long)(dpa + done));
            }
        }
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
