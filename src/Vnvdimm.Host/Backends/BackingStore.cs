namespace Vnvdimm.Host.Backends;

/// <summary>What a mem-path is on the host.</summary>
public enum BackingStoreKind
{
    /// <summary>Nothing there: QEMU would create a regular file (in <see cref="BackingStore.FileSystem"/> of its folder).</summary>
    Missing,
    File,
    /// <summary>A folder: QEMU creates an unlinked temporary file in it.</summary>
    Directory,
    /// <summary>A device-dax character device (/dev/daxX.Y): size and alignment from sysfs.</summary>
    DaxDevice,
    /// <summary>Any other character device, FIFO or socket.</summary>
    Other,
}

/// <summary>The outcome of a one-page MAP_SHARED_VALIDATE|MAP_SYNC mapping that nothing was written through.</summary>
public enum MapSyncProbe
{
    /// <summary>Not tried (no file to map, or it could not be opened read-write).</summary>
    NotProbed,
    Works,
    Fails,
}

/// <summary>
/// Facts about a memory-backend-file's mem-path, gathered without creating, extending or writing
/// anything: what a planned (not allocated) backend is checked against, and what `vnvdimm check`
/// reports. Errno values are 0 when the operation would succeed.
/// </summary>
public sealed record BackingStore
{
    public required string Path { get; init; }
    public required BackingStoreKind Kind { get; init; }
    /// <summary>errno of open(O_RDONLY) of an existing path.</summary>
    public int ReadOpenErrno { get; init; }
    /// <summary>errno of open(O_RDWR) of an existing path, or, when missing, of creating a file in its folder.</summary>
    public int WriteOpenErrno { get; init; }
    /// <summary>QEMU's get_file_size: the sysfs size of a device-dax, else the length; 0 when missing.</summary>
    public long Size { get; init; }
    /// <summary>The device-dax region's alignment, or -1.</summary>
    public long DaxAlign { get; init; } = -1;
    /// <summary>The backing page size: the hugetlbfs block size there, else the host page size.</summary>
    public ulong PageSize { get; init; } = (ulong)Environment.SystemPageSize;
    /// <summary>The filesystem type (ext4, xfs, tmpfs, hugetlbfs, devtmpfs…) holding the path, or its folder when missing.</summary>
    public string FileSystem { get; init; } = "unknown";
    public string? MountPoint { get; init; }
    /// <summary>True when that filesystem is mounted with dax or dax=always.</summary>
    public bool DaxMount { get; init; }
    /// <summary>The mount's options (per-mount, then superblock), as /proc/self/mountinfo lists them.</summary>
    public string? MountOptions { get; init; }
    public MapSyncProbe MapSync { get; init; }
    /// <summary>errno of the failed MAP_SYNC mapping (EOPNOTSUPP on a non-DAX file).</summary>
    public int MapSyncErrno { get; init; }

    /// <summary>strerror of the failed MAP_SYNC mapping, or null.</summary>
    public string? MapSyncError => MapSync == MapSyncProbe.Fails ? Interop.Libc.StrError(MapSyncErrno) : null;
}

/// <summary>Looks at a mem-path on the host; never creates, extends or writes anything.</summary>
public interface IBackingStoreInspector
{
    BackingStore Inspect(string path);

    /// <summary>
    /// Fills <paramref name="destination"/> from <paramref name="offset"/> of an existing regular
    /// file, read-only; false when it cannot be read (the file is shorter, or unreadable).
    /// </summary>
    bool TryReadRange(string path, ulong offset, Span<byte> destination);
}
