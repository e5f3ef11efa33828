using Vnvdimm.Host.Backends;

namespace Vnvdimm.Tests.Host.Check;

/// <summary>
/// Stands in for the host where the test machine has no device-dax and no DAX-mounted
/// filesystem: each path answers with the facts a real one would have. Unknown paths are missing
/// files in a folder on ext4.
/// </summary>
public sealed class FakeBackingStoreInspector : IBackingStoreInspector
{
    public const int EOPNOTSUPP = 95;

    private readonly Dictionary<string, BackingStore> _stores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _tails = new(StringComparer.Ordinal);

    public List<string> Inspected { get; } = [];

    public FakeBackingStoreInspector Add(BackingStore store)
    {
        _stores[store.Path] = store;
        return this;
    }

    /// <summary>The bytes ReadRange returns for <paramref name="path"/> (whatever the offset).</summary>
    public FakeBackingStoreInspector WithLabelArea(string path, byte[] bytes)
    {
        _tails[path] = bytes;
        return this;
    }

    public BackingStore Inspect(string path)
    {
        Inspected.Add(path);
        return _stores.TryGetValue(path, out BackingStore? store)
            ? store
            : new BackingStore { Path = path, Kind = BackingStoreKind.Missing, FileSystem = "ext4", MountPoint = "/" };
    }

    public bool TryReadRange(string path, ulong offset, Span<byte> destination)
    {
        if (!_tails.TryGetValue(path, out byte[]? bytes) || bytes.Length != destination.Length)
        {
            return false;
        }
        bytes.CopyTo(destination);
        return true;
    }

    /// <summary>A file on an ext4 filesystem mounted with -o dax: MAP_SYNC works there.</summary>
    public static BackingStore DaxFile(string path, long size) => new()
    {
        Path = path, Kind = BackingStoreKind.File, Size = size, FileSystem = "ext4", MountPoint = "/mnt/pmem0",
        MountOptions = "rw,relatime,dax=always", DaxMount = true, MapSync = MapSyncProbe.Works,
    };

    /// <summary>A file on plain ext4: MAP_SYNC fails with EOPNOTSUPP, as the kernel says for a non-DAX file.</summary>
    public static BackingStore PlainFile(string path, long size) => new()
    {
        Path = path, Kind = BackingStoreKind.File, Size = size, FileSystem = "ext4", MountPoint = "/srv",
        MountOptions = "rw,relatime", MapSync = MapSyncProbe.Fails, MapSyncErrno = EOPNOTSUPP,
    };

    /// <summary>/dev/daxX.Y: size and region alignment from sysfs.</summary>
    public static BackingStore DaxDevice(string path, long size, long align) => new()
    {
        Path = path, Kind = BackingStoreKind.DaxDevice, Size = size, DaxAlign = align, FileSystem = "devtmpfs", MountPoint = "/dev",
        MapSync = MapSyncProbe.Works,
    };

    public static BackingStore TmpfsFile(string path, long size) => new()
    {
        Path = path, Kind = BackingStoreKind.File, Size = size, FileSystem = "tmpfs", MountPoint = "/dev/shm",
        MapSync = MapSyncProbe.Fails, MapSyncErrno = EOPNOTSUPP,
    };
}
