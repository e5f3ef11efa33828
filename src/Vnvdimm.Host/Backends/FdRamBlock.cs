using System.Globalization;
using System.Numerics;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// QEMU 7.2's qemu_ram_alloc_from_fd + file_ram_alloc, shared by the file and memfd backends:
/// size check against the existing file, device-dax alignment, align checks, sizing of empty
/// files only, and the mapping.
/// </summary>
internal static class FdRamBlock
{
    public sealed record Result(MappedRegion Region, ulong PageSize, ulong Alignment, bool MapSync);

    public readonly record struct Request(ulong Size, ulong Align, bool ReadOnly, bool Shared, bool Pmem, bool NoReserve);

    /// <summary>Maps <paramref name="fd"/>; failures are QEMU's allocation errors (no location).</summary>
    public static Result Map(SafeFdHandle fd, in Request request, StderrSink stderr)
    {
        long fileSize = GetFileSize(fd);
        (ulong pageSize, ulong alignment, ulong memory) = CheckGeometry(request, fileSize, GetDaxRegionAlign(fd), RamMmap.PageSizeOf(fd));

        // Only an empty (or just created) file is sized: a non-empty one may hold NVDIMM labels
        // at its end. QEMU only reports a failure here; mmap catches real problems.
        if (fileSize == 0 && Libc.ftruncate(fd, (long)memory) != 0)
        {
            stderr.Raw(BackendMessages.Perror("ftruncate", Libc.Errno));
            // An empty regular file that stays empty (readonly=on opens it O_RDONLY) would be mapped
            // past its end: QEMU 7.2 goes on and dies of SIGBUS at the guest's first access. Refuse
            // it in QEMU's words for a backing store smaller than size= instead.
            if (Libc.fstat(fd, out Libc.Stat st) == 0 && (st.st_mode & Libc.S_IFMT) == Libc.S_IFREG)
            {
                throw BackendMessages.SizeMismatch(0, RamMmap.AlignUp(request.Size, (ulong)Environment.SystemPageSize));
            }
        }

        var mapping = new RamMmap.Request(fd, memory, alignment, request.ReadOnly, request.Shared, request.Pmem, request.NoReserve, 0);
        MappedRegion region = RamMmap.Map(mapping, stderr, out int errno, out bool mapSync)
            ?? throw BackendMessages.CannotMap(errno);
        return new Result(region, pageSize, alignment, mapSync);
    }

    /// <summary>
    /// The checks file_ram_alloc makes before it sizes and maps, in its order: size against the
    /// existing file, device-dax alignment, align, the page size. Shared by <see cref="Map"/> and
    /// <see cref="Plan"/> so a planned backend is refused exactly as an allocated one.
    /// </summary>
    /// <returns>The backing page size, the mapping alignment and the mapped length.</returns>
    private static (ulong PageSize, ulong Alignment, ulong Memory) CheckGeometry(in Request request, long fileSize, long fileAlign, ulong pageSize)
    {
        ulong size = RamMmap.AlignUp(request.Size, (ulong)Environment.SystemPageSize);
        if (fileSize > 0 && (ulong)fileSize < size)
        {
            throw BackendMessages.SizeMismatch(fileSize, size);
        }
        if (request.Align % pageSize != 0)
        {
            throw BackendMessages.AlignNotPageMultiple(request.Align, pageSize);
        }
        if (request.Align != 0 && !BitOperations.IsPow2(request.Align))
        {
            throw BackendMessages.AlignNotPowerOfTwo(request.Align);
        }
        ulong alignment = Math.Max(pageSize, request.Align);
        if (size < pageSize)
        {
            throw BackendMessages.SmallerThanPage(size, pageSize);
        }
        // Device dax maps only at its region's alignment. Debian's QEMU 7.2 is built without
        // libdaxctl, so it has no "backing store align" check: the kernel refuses its
        // align-aligned mapping with EINVAL unless the address happens to fall on the boundary,
        // which varies from run to run. vnvdimm refuses every time, with what QEMU says.
        if (fileAlign > 0 && (ulong)fileAlign > alignment)
        {
            throw BackendMessages.CannotMap(Libc.EINVAL);
        }
        return (pageSize, alignment, RamMmap.AlignUp(size, pageSize));
    }

    /// <summary>
    /// The dry run of <see cref="Map"/> over what an inspection found: the same checks, nothing
    /// opened for writing, created or sized. Returns the page size and alignment the mapping would have.
    /// </summary>
    public static (ulong PageSize, ulong Alignment) Plan(in Request request, BackingStore store)
    {
        long fileSize = store.Kind is BackingStoreKind.File or BackingStoreKind.DaxDevice ? store.Size : 0;
        (ulong pageSize, ulong alignment, _) = CheckGeometry(request, fileSize, store.DaxAlign, store.PageSize);
        // An existing empty regular file opened read-only cannot be sized: Map refuses it so.
        if (fileSize == 0 && request.ReadOnly && store.Kind == BackingStoreKind.File)
        {
            throw BackendMessages.SizeMismatch(0, RamMmap.AlignUp(request.Size, (ulong)Environment.SystemPageSize));
        }
        // Device dax refuses private mappings (EINVAL), so QEMU's mmap fails.
        if (store.Kind == BackingStoreKind.DaxDevice && !request.Shared)
        {
            throw BackendMessages.CannotMap(Libc.EINVAL);
        }
        return (pageSize, alignment);
    }

    /// <summary>QEMU's get_file_size: device-dax size from sysfs, else lseek(SEEK_END); -errno on failure.</summary>
    public static long GetFileSize(SafeFdHandle fd)
    {
        if (Libc.fstat(fd, out Libc.Stat st) != 0)
        {
            return -Libc.Errno;
        }
        if ((st.st_mode & Libc.S_IFMT) == Libc.S_IFCHR)
        {
            string device = $"/sys/dev/char/{Libc.Major(st.st_rdev)}:{Libc.Minor(st.st_rdev)}";
            string? subsystem = ReadLink($"{device}/subsystem");
            if (subsystem is not null && subsystem.EndsWith("/dax", StringComparison.Ordinal)
                && TryReadSysfsNumber($"{device}/size", out long daxSize))
            {
                return daxSize;
            }
        }
        // st_size may be zero for special files, yet lseek works.
        long size = Libc.lseek(fd, 0, Libc.SEEK_END);
        return size < 0 ? -Libc.Errno : size;
    }

    /// <summary>
    /// The alignment of the device-dax region holding a char device (libdaxctl's region align,
    /// read from the nearest ancestor with a dax_region/align attribute), or -1.
    /// </summary>
    public static long GetDaxRegionAlign(SafeFdHandle fd)
    {
        if (Libc.fstat(fd, out Libc.Stat st) != 0 || (st.st_mode & Libc.S_IFMT) != Libc.S_IFCHR)
        {
            return -1;
        }
        string device = $"/sys/dev/char/{Libc.Major(st.st_rdev)}:{Libc.Minor(st.st_rdev)}";
        DirectoryInfo? directory;
        try
        {
            var target = new DirectoryInfo(device).ResolveLinkTarget(returnFinalTarget: true);
            directory = target is null ? null : new DirectoryInfo(target.FullName);
        }
        catch (IOException)
        {
            return -1;
        }
        for (; directory is not null && directory.FullName.StartsWith("/sys/", StringComparison.Ordinal); directory = directory.Parent)
        {
            if (TryReadSysfsNumber(Path.Combine(directory.FullName, "dax_region", "align"), out long align))
            {
                return align;
            }
        }
        return -1;
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    // g_ascii_strtoll(text, NULL, 0): decimal, 0x hex or 0 octal, leading part only.
    private static bool TryReadSysfsNumber(string path, out long value)
    {
        value = 0;
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        if (text.Length > 1 && text[0] == '0')
        {
            try
            {
                value = Convert.ToInt64(text, 8);
                return true;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                return false;
            }
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
