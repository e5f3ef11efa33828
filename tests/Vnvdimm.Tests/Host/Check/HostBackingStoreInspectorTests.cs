using System.Diagnostics;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Check;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Check;

/// <summary>
/// The real inspection on this host: a file on the test folder's filesystem (ext4 on /work here),
/// a file on tmpfs, a missing file, anonymous RAM; the filesystem is cross-checked with findmnt.
/// Nothing is created, extended or changed (hash and mtime). Device-dax and DAX mounts are not
/// available here: <see cref="PersistenceVerdictTests"/> covers them through fakes.
/// </summary>
public sealed class HostBackingStoreInspectorTests : IDisposable
{
    // Under the test binaries (on /work), not /tmp, so it is a regular disk filesystem.
    private readonly string folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, $"check-{Guid.NewGuid():N}")).FullName;
    private readonly string shm = Path.Combine("/dev/shm", $"vnvdimm-check-{Environment.ProcessId}-{Guid.NewGuid():N}.img");

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        File.Delete(shm);
    }

    private static string FindmntFsType(string path)
    {
        var start = new ProcessStartInfo("findmnt", ["-n", "-o", "FSTYPE", "--target", path]) { RedirectStandardOutput = true };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }

    private static (long, string, DateTime) State(string path) =>
        (new FileInfo(path).Length, ScratchDirectory.Fingerprint(path).Sha256, File.GetLastWriteTimeUtc(path));

    [Fact]
    public void A_file_on_a_disk_filesystem_is_named_and_map_sync_fails_there()
    {
        string path = Path.Combine(folder, "nv.img");
        using (var stream = File.Create(path))
        {
            stream.SetLength(16L << 20);
        }
        var before = State(path);

        BackingStore store = new HostBackingStoreInspector().Inspect(path);

        Assert.Equal(BackingStoreKind.File, store.Kind);
        Assert.Equal(16L << 20, store.Size);
        Assert.Equal(FindmntFsType(path), store.FileSystem);
        Assert.False(store.DaxMount);
        // No DAX on this host: the kernel refuses MAP_SYNC for the file.
        Assert.Equal((MapSyncProbe.Fails, "Operation not supported"), (store.MapSync, store.MapSyncError));
        Assert.Equal(before, State(path));
    }

    [Fact]
    public void A_file_on_tmpfs_is_named_tmpfs()
    {
        using (var stream = File.Create(shm))
        {
            stream.SetLength(1L << 20);
        }

        BackingStore store = new HostBackingStoreInspector().Inspect(shm);

        Assert.Equal(("tmpfs", "/dev/shm"), (store.FileSystem, store.MountPoint));
        Assert.Equal(MapSyncProbe.Fails, store.MapSync);
    }

    [Fact]
    public void A_missing_file_is_not_created_and_its_folder_is_inspected()
    {
        string path = Path.Combine(folder, "new.img");

        BackingStore store = new HostBackingStoreInspector().Inspect(path);

        Assert.Equal((BackingStoreKind.Missing, 0, MapSyncProbe.NotProbed), (store.Kind, store.WriteOpenErrno, store.MapSync));
        Assert.Equal(FindmntFsType(folder), store.FileSystem);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_missing_folder_is_what_qemu_cannot_open()
    {
        CheckReport report = ConfigurationCheck.Run(
            ["-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
             "-object", $"memory-backend-file,id=m1,share=on,mem-path={folder}/no/such/x.img,size=256M", "-device", "nvdimm,id=nv1,memdev=m1"],
            new HostBackingStoreInspector());

        // As qemu-system-x86_64 7.2 prints it (checked by CheckRefusalTests against the real one).
        Assert.Equal($"can't open backing store {folder}/no/such/x.img for guest RAM: No such file or directory", report.Devices[0].Refusal);
        Assert.False(Directory.Exists(Path.Combine(folder, "no")));
    }

    [Fact]
    public void Check_of_a_whole_configuration_changes_nothing_on_disk()
    {
        string existing = Path.Combine(folder, "old.img");
        using (var stream = File.Create(existing))
        {
            stream.SetLength(256L << 20);
            stream.Position = (256L << 20) - 4096;
            stream.Write(new byte[] { 1, 2, 3, 4 });
        }
        var before = State(existing);
        string created = Path.Combine(folder, "would-be-created.img");

        CheckReport report = ConfigurationCheck.Run(
            ["-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=8G",
             "-object", $"memory-backend-file,id=m1,share=on,pmem=on,prealloc=on,mem-path={existing},size=256M", "-device", "nvdimm,id=nv1,memdev=m1,label-size=128K",
             "-object", $"memory-backend-file,id=m2,share=on,mem-path={created},size=256M", "-device", "nvdimm,id=nv2,memdev=m2",
             "-object", $"memory-backend-file,id=m3,share=on,mem-path={folder},size=256M", "-device", "nvdimm,id=nv3,memdev=m3",
             "-object", "memory-backend-ram,id=m4,size=256M", "-device", "nvdimm,id=nv4,memdev=m4"],
            new HostBackingStoreInspector());

        Assert.Equal(4, report.Devices.Count);
        Assert.All(report.Devices, d => Assert.Equal(PersistenceVerdict.NotGuaranteed, d.Verdict));
        // Seed, Label note 2: the label area (last 128 KiB) overlays the old bytes.
        Assert.Equal(LabelAreaState.ForeignData, report.Devices[0].LabelArea);
        Assert.Contains(report.Devices[0].Warnings, w => w.StartsWith($"the label area overlays existing data: bytes 0xffe0000-0xfffffff of {existing} hold neither zeros nor a namespace index block", StringComparison.Ordinal));
        Assert.Equal(before, State(existing));
        Assert.Equal(["old.img"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Mountinfo_dax_options_and_escapes_are_read()
    {
        MountTable table = MountTable.Parse(
            "36 25 259:1 / /mnt/pmem\\0400 rw,relatime shared:1 - ext4 /dev/pmem0 rw,dax=always\n"
            + "37 25 259:2 / /mnt/x rw - xfs /dev/pmem1 rw,attr2,dax=inode\n"
            + "38 25 0:30 / /dev/shm rw,nosuid - tmpfs tmpfs rw\n");

        MountEntry pmem = table.Find(259, 1, "/mnt/pmem 0/vm.img")!;
        Assert.Equal(("/mnt/pmem 0", "ext4", true), (pmem.MountPoint, pmem.FileSystem, pmem.IsDax));
        // dax=inode leaves DAX to each file's flag: not a DAX mount (the MAP_SYNC probe decides).
        Assert.False(table.Find(259, 2, "/mnt/x/a")!.IsDax);
        Assert.Equal("tmpfs", table.Find(0, 30, "/dev/shm/a")!.FileSystem);
        Assert.Null(table.Find(8, 1, "/"));
    }
}
