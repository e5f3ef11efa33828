using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// QEMU's qemu_ram_mmap: reserve size + align of PROT_NONE address space, map the memory at the
/// first aligned address inside it (so device-dax and huge pages get aligned addresses), and keep
/// one PROT_NONE guard page after it. With pmem on a shared mapping, MAP_SYNC is tried first.
/// </summary>
internal static class RamMmap
{
    public readonly record struct Request(
        SafeFdHandle? Fd, ulong Size, ulong Align, bool ReadOnly, bool Shared, bool Sync, bool NoReserve, long MapOffset);

    /// <summary>Maps as requested, or returns null with the errno QEMU would report.</summary>
    public static MappedRegion? Map(in Request request, StderrSink stderr, out int errno, out bool mapSync)
    {
        mapSync = false;
        errno = 0;
        ulong guardPage = (ulong)Environment.SystemPageSize;
        ulong align = PlacementAlignment(request);
        ulong total = request.Size + align;
        nint guard = Libc.mmap_anonymous(0, (nuint)total, Libc.PROT_NONE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (guard == Libc.MAP_FAILED)
        {
            errno = Libc.Errno;
            return null;
        }
        ulong offset = AlignUp((ulong)guard, align) - (ulong)guard;
        nint ptr = Activate(guard + (nint)offset, request, stderr, out errno, out mapSync);
        if (ptr == Libc.MAP_FAILED)
        {
            Libc.munmap(guard, (nuint)total);
            return null;
        }
        if (offset > 0)
        {
            Libc.munmap(guard, (nuint)offset);
        }
        total -= offset;
        if (total > request.Size + guardPage)
        {
            Libc.munmap(ptr + (nint)(request.Size + guardPage), (nuint)(total - request.Size - guardPage));
            total = request.Size + guardPage;
        }
        return new MappedRegion(ptr, request.Size, (nuint)total, writable: !request.ReadOnly);
    }

    /// <summary>
    /// Where the mapping starts: QEMU aligns it to the backend's alignment only; vnvdimm also puts
    /// any mapping of 2 MiB or more on a 2 MiB boundary (the memory region's alignment is not
    /// changed, only the host address). An address that is not congruent to the file offset
    /// modulo 2 MiB keeps the page cache's large folios from being mapped whole: on ext4 with
    /// MADV_HUGEPAGE every 4 KiB write fault then dirties the whole folio's buffers, and
    /// populating 1 GiB takes 15 times as long (4.5 s instead of 0.3 s on this kernel).
    /// </summary>
    private static ulong PlacementAlignment(in Request request) =>
        request.Size >= LargeFolio && request.MapOffset % (long)LargeFolio == 0 ? Math.Max(request.Align, LargeFolio) : request.Align;

    private const ulong LargeFolio = 2UL << 20;

    private static nint Activate(nint at, in Request request, StderrSink stderr, out int errno, out bool mapSync)
    {
        mapSync = false;
        errno = 0;
        if (request.NoReserve && !NoReserveEffective(request, stderr))
        {
            // QEMU fails here with whatever errno was left over; EINVAL is the closest meaning.
            errno = Libc.EINVAL;
            return Libc.MAP_FAILED;
        }
        int prot = Libc.PROT_READ | (request.ReadOnly ? 0 : Libc.PROT_WRITE);
        int flags = Libc.MAP_FIXED
            | (request.Fd is null ? Libc.MAP_ANONYMOUS : 0)
            | (request.Shared ? Libc.MAP_SHARED : Libc.MAP_PRIVATE)
            | (request.NoReserve ? Libc.MAP_NORESERVE : 0);
        int syncFlags = request.Shared && request.Sync ? Libc.MAP_SYNC | Libc.MAP_SHARED_VALIDATE : 0;

        nint ptr = MapAt(at, request, prot, flags | syncFlags);
        if (ptr != Libc.MAP_FAILED)
        {
            mapSync = syncFlags != 0;
            return ptr;
        }
        errno = Libc.Errno;
        if (syncFlags != 0)
        {
            if (errno == Libc.EOPNOTSUPP)
            {
                // Same two lines, same order and same channels as QEMU 7.2 on a non-DAX file.
                string file = new FileInfo($"/proc/self/fd/{request.Fd!.Fd}").LinkTarget ?? string.Empty;
                stderr.Raw(BackendMessages.PersistenceFailed(file));
                stderr.Report(BackendMessages.NonDaxPmemDeprecated);
            }
            // Retry without MAP_SYNC for backward compatibility, as QEMU does for any failure.
            ptr = MapAt(at, request, prot, flags);
            errno = ptr == Libc.MAP_FAILED ? Libc.Errno : 0;
        }
        return ptr;
    }

    private static nint MapAt(nint at, in Request request, int prot, int flags) => request.Fd is null
        ? Libc.mmap_anonymous(at, (nuint)request.Size, prot, flags, -1, 0)
        : Libc.mmap(at, (nuint)request.Size, prot, flags, request.Fd, request.MapOffset);

    // MAP_NORESERVE is silently ignored under overcommit "never"; QEMU refuses instead of
    // committing far more memory than the user asked for.
    private static bool NoReserveEffective(in Request request, StderrSink stderr)
    {
        if (request.Fd is not null && PageSizeOf(request.Fd) != (ulong)Environment.SystemPageSize)
        {
            return true;
        }
        if (request.ReadOnly || (request.Shared && request.Fd is not null))
        {
            return true;
        }
        string? content = null;
        try
        {
            content = File.ReadAllText("/proc/sys/vm/overcommit_memory");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        if (content is not null && uint.TryParse(content.TrimEnd('\n'), out uint mode))
        {
            if (mode == 2)
            {
                stderr.Report(BackendMessages.NoReserveUnsupported("\"/proc/sys/vm/overcommit_memory\" is \"2\""));
                return false;
            }
            return true;
        }
        stderr.Report(BackendMessages.NoReserveUnsupported("Could not read: \"/proc/sys/vm/overcommit_memory\""));
        return false;
    }

    /// <summary>QEMU's qemu_fd_getpagesize: the hugetlbfs block size, else the host page size.</summary>
    public static ulong PageSizeOf(SafeFdHandle fd)
    {
        int result;
        Libc.StatFs fs;
        do
        {
            result = Libc.fstatfs(fd, out fs);
        }
        while (result != 0 && Libc.Errno == Libc.EINTR);
        return result == 0 && fs.f_type == Libc.HUGETLBFS_MAGIC ? (ulong)fs.f_bsize : (ulong)Environment.SystemPageSize;
    }

    public static ulong AlignUp(ulong value, ulong align) => (value + align - 1) & ~(align - 1);
}
