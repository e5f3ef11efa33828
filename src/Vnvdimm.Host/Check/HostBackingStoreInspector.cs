using Microsoft.Win32.SafeHandles;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Check;

/// <summary>
/// Inspects mem-paths on this host: stat, QEMU's device-dax sysfs size and region align, the
/// filesystem and its dax mount option from /proc/self/mountinfo, and a MAP_SYNC probe. Never
/// creates, extends or writes a file: the probe maps one page (one device-dax alignment)
/// MAP_SHARED_VALIDATE|MAP_SYNC read-write and unmaps it without touching it.
/// </summary>
public sealed class HostBackingStoreInspector : IBackingStoreInspector
{
    private readonly Lazy<MountTable> _mounts;

    public HostBackingStoreInspector(MountTable? mounts = null) =>
        _mounts = new Lazy<MountTable>(() => mounts ?? MountTable.ReadCurrent());

    public BackingStore Inspect(string path)
    {
        // O_NONBLOCK: opening a FIFO must not wait for a writer.
        using SafeFdHandle fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid)
        {
            int errno = Libc.Errno;
            if (errno != Libc.ENOENT)
            {
                return new BackingStore { Path = path, Kind = BackingStoreKind.File, ReadOpenErrno = errno, WriteOpenErrno = errno };
            }
            return InspectMissing(path);
        }
        if (Libc.fstat(fd, out Libc.Stat st) != 0)
        {
            return new BackingStore { Path = path, Kind = BackingStoreKind.Other, ReadOpenErrno = Libc.Errno, WriteOpenErrno = Libc.Errno };
        }
        uint type = st.st_mode & Libc.S_IFMT;
        long daxAlign = FdRamBlock.GetDaxRegionAlign(fd);
        BackingStoreKind kind = type switch
        {
            Libc.S_IFREG => BackingStoreKind.File,
            Libc.S_IFDIR => BackingStoreKind.Directory,
            Libc.S_IFCHR when IsDaxDevice(st) => BackingStoreKind.DaxDevice,
            _ => BackingStoreKind.Other,
        };
        MountEntry? mount = _mounts.Value.Find(Libc.Major(st.st_dev), Libc.Minor(st.st_dev), RealPath(path));
        var store = new BackingStore
        {
            Path = path,
            Kind = kind,
            Size = kind is BackingStoreKind.File or BackingStoreKind.DaxDevice ? Math.Max(FdRamBlock.GetFileSize(fd), 0) : 0,
            DaxAlign = daxAlign,
            PageSize = RamMmap.PageSizeOf(fd),
            FileSystem = mount?.FileSystem ?? "unknown",
            MountPoint = mount?.MountPoint,
            MountOptions = mount?.Options,
            DaxMount = mount?.IsDax ?? false,
            WriteOpenErrno = kind == BackingStoreKind.Directory ? AccessErrno(path) : 0,
        };
        if (kind is not (BackingStoreKind.File or BackingStoreKind.DaxDevice))
        {
            return store;
        }
        using SafeFdHandle writable = Libc.open(path, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (writable.IsInvalid)
        {
            return store with { WriteOpenErrno = Libc.Errno };
        }
        ulong length = kind == BackingStoreKind.DaxDevice ? (ulong)(daxAlign > 0 ? daxAlign : 2L << 20) : store.PageSize;
        int probeErrno = ProbeMapSync(writable, length);
        return store with { MapSync = probeErrno == 0 ? MapSyncProbe.Works : MapSyncProbe.Fails, MapSyncErrno = probeErrno };
    }

    public bool TryReadRange(string path, ulong offset, Span<byte> destination)
    {
        using SafeFdHandle fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid || offset > long.MaxValue)
        {
            return false;
        }
        long length = Libc.lseek(fd, 0, Libc.SEEK_END);
        if (length < 0 || (ulong)length < offset || (ulong)length - offset < (ulong)destination.Length)
        {
            return false;
        }
        // A hole (a new sparse backend) reads as zeros: skip the read when no data starts in range.
        long data = Libc.lseek(fd, (long)offset, Libc.SEEK_DATA);
        if (data < 0 ? Libc.Errno == Libc.ENXIO : (ulong)data >= offset + (ulong)destination.Length)
        {
            destination.Clear();
            return true;
        }
        try
        {
            using var handle = new SafeFileHandle(fd.DangerousGetHandle(), ownsHandle: false);
            int done = 0;
            while (done < destination.Length)
            {
                int read = RandomAccess.Read(handle, destination[done..], (long)offset + done);
                if (read == 0)
                {
                    return false;
                }
                done += read;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    // QEMU creates a missing file: whether it could, and the folder's filesystem.
    private BackingStore InspectMissing(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        using SafeFdHandle fd = Libc.open(folder, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd.IsInvalid)
        {
            return new BackingStore { Path = path, Kind = BackingStoreKind.Missing, WriteOpenErrno = Libc.ENOENT };
        }
        MountEntry? mount = Libc.fstat(fd, out Libc.Stat st) == 0
            ? _mounts.Value.Find(Libc.Major(st.st_dev), Libc.Minor(st.st_dev), RealPath(folder))
            : null;
        return new BackingStore
        {
            Path = path,
            Kind = BackingStoreKind.Missing,
            WriteOpenErrno = AccessErrno(folder),
            PageSize = RamMmap.PageSizeOf(fd),
            FileSystem = mount?.FileSystem ?? "unknown",
            MountPoint = mount?.MountPoint,
            MountOptions = mount?.Options,
            DaxMount = mount?.IsDax ?? false,
        };
    }

    // Creating a file in a folder needs write and search permission there.
    private static int AccessErrno(string folder) => Libc.access(folder, Libc.W_OK | Libc.X_OK) == 0 ? 0 : Libc.Errno;

    private static bool IsDaxDevice(in Libc.Stat st)
    {
        try
        {
            string? subsystem = new FileInfo($"/sys/dev/char/{Libc.Major(st.st_rdev)}:{Libc.Minor(st.st_rdev)}/subsystem").LinkTarget;
            return subsystem is not null && subsystem.EndsWith("/dax", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    // A shared mapping that nothing is read or written through: no page is faulted in.
    private static int ProbeMapSync(SafeFdHandle fd, ulong length)
    {
        nint address = Libc.mmap(0, (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED_VALIDATE | Libc.MAP_SYNC, fd, 0);
        if (address == Libc.MAP_FAILED)
        {
            return Libc.Errno;
        }
        Libc.munmap(address, (nuint)length);
        return 0;
    }
}
