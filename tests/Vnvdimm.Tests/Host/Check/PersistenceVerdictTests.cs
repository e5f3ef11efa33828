using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Check;

namespace Vnvdimm.Tests.Host.Check;

/// <summary>
/// The verdict for every row of the seed's Guest Data Persistence paragraph (docs/nvdimm.txt):
/// A. device-dax; B. a DAX file with MAP_SYNC, share=on and pmem=on; and each unmet condition
/// (share, pmem, no DAX, no MAP_SYNC) as its own reason naming the option to change; plus the
/// backends the paragraph calls non-persistent (anonymous RAM, tmpfs). Device-dax and DAX mounts do
/// not exist on the test host, so those rows go through <see cref="FakeBackingStoreInspector"/>;
/// the real inspection is covered by <see cref="HostBackingStoreInspectorTests"/>.
/// </summary>
public sealed class PersistenceVerdictTests
{
    private const long Size256M = 256L << 20;
    private const string DaxPath = "/mnt/pmem0/vm.img";

    private static CheckReport Check(FakeBackingStoreInspector host, string backend, string device = "nvdimm,id=nv1,memdev=m1,label-size=128K", string machine = "pc,nvdimm=on", string memory = "512M,slots=4,maxmem=4G") =>
        ConfigurationCheck.Run(["-machine", machine, "-m", memory, "-object", backend, "-device", device], host);

    private static DeviceReport Only(CheckReport report) => Assert.Single(report.Devices);

    [Fact]
    public void Dax_file_with_share_and_pmem_is_persistent()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxFile(DaxPath, Size256M));

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=on,pmem=on,mem-path={DaxPath},size=256M");

        DeviceReport device = Only(report);
        Assert.Equal(PersistenceVerdict.Persistent, device.Verdict);
        Assert.Empty(device.Reasons);
        Assert.Equal(0, report.ExitStatus);
        // The machine's carving: label area = last 128 KiB, pmem = align_down(256M - 128K, 4K).
        Assert.Equal((ulong)Size256M - 0x20000, device.PmemSize);
        Assert.Equal((ulong)Size256M - 0x20000, device.LabelOffset);
        Assert.Equal((int?)0, device.Slot);
    }

    [Fact]
    public void Dax_file_without_share_is_not_guaranteed_for_share_alone()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxFile(DaxPath, Size256M));

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=off,pmem=on,mem-path={DaxPath},size=256M");

        string reason = Assert.Single(Only(report).Reasons);
        Assert.StartsWith("share=off: ", reason);
        Assert.EndsWith("set share=on on -object m1", reason);
        Assert.Equal(PersistenceVerdict.NotGuaranteed, Only(report).Verdict);
        Assert.Equal(2, report.ExitStatus);
    }

    [Fact]
    public void Dax_file_without_pmem_is_not_guaranteed_for_pmem_alone()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxFile(DaxPath, Size256M));

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=on,mem-path={DaxPath},size=256M");

        string reason = Assert.Single(Only(report).Reasons);
        Assert.StartsWith("pmem=off: ", reason);
        Assert.EndsWith("set pmem=on on -object m1", reason);
        Assert.Equal(2, report.ExitStatus);
    }

    [Fact]
    public void File_without_dax_is_not_guaranteed_naming_its_filesystem()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.PlainFile("/srv/vm.img", Size256M));

        CheckReport report = Check(host, "memory-backend-file,id=m1,share=on,pmem=on,mem-path=/srv/vm.img,size=256M");

        string reason = Assert.Single(Only(report).Reasons);
        Assert.StartsWith("mem-path /srv/vm.img is on ext4 (/srv), not mounted with the dax option", reason);
        Assert.Contains("-o dax", reason);
        Assert.Equal(2, report.ExitStatus);
    }

    [Fact]
    public void Dax_mount_without_map_sync_is_not_guaranteed_for_map_sync_alone()
    {
        // An old host kernel (before 4.15): the mount says dax, MAP_SYNC fails.
        BackingStore store = FakeBackingStoreInspector.DaxFile(DaxPath, Size256M) with
        {
            MapSync = MapSyncProbe.Fails, MapSyncErrno = FakeBackingStoreInspector.EOPNOTSUPP,
        };
        var host = new FakeBackingStoreInspector().Add(store);

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=on,pmem=on,mem-path={DaxPath},size=256M");

        string reason = Assert.Single(Only(report).Reasons);
        Assert.StartsWith($"MAP_SYNC is not supported for {DaxPath} (mmap: Operation not supported)", reason);
        Assert.Equal(2, report.ExitStatus);
    }

    [Fact]
    public void Every_unmet_condition_is_its_own_reason()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.PlainFile("/srv/vm.img", Size256M));

        CheckReport report = Check(host, "memory-backend-file,id=m1,mem-path=/srv/vm.img,size=256M");

        IReadOnlyList<string> reasons = Only(report).Reasons;
        Assert.Equal(3, reasons.Count);
        Assert.StartsWith("share=off: ", reasons[0]);
        Assert.StartsWith("pmem=off: ", reasons[1]);
        Assert.StartsWith("mem-path /srv/vm.img is on ext4", reasons[2]);
    }

    [Fact]
    public void Device_dax_with_its_alignment_is_persistent_and_sized_from_sysfs()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxDevice("/dev/dax0.0", 4L << 30, 2L << 20));

        CheckReport report = Check(host, "memory-backend-file,id=m1,share=on,mem-path=/dev/dax0.0,size=1G,align=2M", memory: "512M,slots=4,maxmem=8G");

        DeviceReport device = Only(report);
        Assert.Equal(PersistenceVerdict.Persistent, device.Verdict);
        // pmem = align_down(1G - 128K, 2M): the backend's alignment is align=2M.
        Assert.Equal((1UL << 30) - (2UL << 20), device.PmemSize);
        Assert.Equal(0, report.ExitStatus);
    }

    [Theory]
    // Debian's QEMU 7.2 has no libdaxctl align check: the kernel refuses the mapping (seen in the
    // real-DAX interop test, where QEMU runs inside the Linux guest on /dev/dax0.1).
    [InlineData("align=4K", "align=0x1000")]
    [InlineData("align=1M", "align=0x100000")]
    [InlineData("share=on", "the page size, 0x1000, when align is not set")]
    public void Device_dax_with_a_smaller_align_is_refused_as_its_mmap_fails(string option, string given)
    {
        const string message = "unable to map backing store for guest RAM: Invalid argument";
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxDevice("/dev/dax0.0", 4L << 30, 2L << 20));

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=on,mem-path=/dev/dax0.0,size=1G,{option}", memory: "512M,slots=4,maxmem=8G");

        DeviceReport device = Only(report);
        Assert.Equal((PersistenceVerdict.Refused, message, "nv1"), (device.Verdict, device.Refusal, device.Id));
        Assert.Equal(message, report.QemuError);
        Assert.Equal(1, report.ExitStatus);
        Assert.Equal(
            [$"device-dax /dev/dax0.0 can only be mapped at its region's alignment, 0x200000, but QEMU aligns its mapping to {given}: the kernel refuses it unless the address QEMU gets happens to fall on that boundary, so QEMU starts or fails from run to run (vnvdimm always refuses); set align=2M on -object m1"],
            device.Reasons);
    }

    [Fact]
    public void Device_dax_larger_size_than_the_device_is_refused()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxDevice("/dev/dax0.0", 1L << 30, 2L << 20));

        CheckReport report = Check(host, "memory-backend-file,id=m1,share=on,mem-path=/dev/dax0.0,size=2G,align=2M", memory: "512M,slots=4,maxmem=8G");

        Assert.Equal("backing store size 0x40000000 does not match 'size' option 0x80000000", Only(report).Refusal);
    }

    [Fact]
    public void Device_dax_private_mapping_is_refused_as_its_mmap_fails()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxDevice("/dev/dax0.0", 4L << 30, 2L << 20));

        CheckReport report = Check(host, "memory-backend-file,id=m1,share=off,mem-path=/dev/dax0.0,size=1G,align=2M", memory: "512M,slots=4,maxmem=8G");

        Assert.Equal("unable to map backing store for guest RAM: Invalid argument", Only(report).Refusal);
        Assert.Equal(["share=off: device-dax /dev/dax0.0 cannot be mapped private (MAP_PRIVATE), so the kernel refuses QEMU's mapping; set share=on on -object m1"], Only(report).Reasons);
    }

    [Fact]
    public void A_file_on_the_initramfs_rootfs_is_host_ram()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.PlainFile("/pmem.img", Size256M) with { FileSystem = "rootfs", MountPoint = "/" });

        CheckReport report = Check(host, "memory-backend-file,id=m1,share=on,pmem=on,mem-path=/pmem.img,size=256M");

        Assert.StartsWith("mem-path /pmem.img is on rootfs (/), which is host RAM", Assert.Single(Only(report).Reasons));
    }

    [Fact]
    public void Anonymous_ram_is_not_guaranteed()
    {
        CheckReport report = Check(new FakeBackingStoreInspector(), "memory-backend-ram,id=m1,size=256M");

        string reason = Assert.Single(Only(report).Reasons);
        Assert.StartsWith("memory-backend-ram 'm1' is anonymous host memory", reason);
        Assert.Null(Only(report).Backend!.Store);
    }

    [Fact]
    public void Tmpfs_file_is_not_guaranteed_as_host_ram()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.TmpfsFile("/dev/shm/vm.img", Size256M));

        CheckReport report = Check(host, "memory-backend-file,id=m1,share=on,pmem=on,mem-path=/dev/shm/vm.img,size=256M");

        string reason = Assert.Single(Only(report).Reasons);
        Assert.StartsWith("mem-path /dev/shm/vm.img is on tmpfs (/dev/shm), which is host RAM", reason);
    }

    [Fact]
    public void Missing_file_on_a_dax_mount_cannot_be_probed_and_says_how_to()
    {
        var host = new FakeBackingStoreInspector().Add(new BackingStore
        {
            Path = DaxPath, Kind = BackingStoreKind.Missing, FileSystem = "xfs", MountPoint = "/mnt/pmem0", DaxMount = true,
        });

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=on,pmem=on,mem-path={DaxPath},size=256M");

        string reason = Assert.Single(Only(report).Reasons);
        Assert.Contains("does not exist yet (QEMU would create it on xfs)", reason);
        Assert.Contains($"fallocate -l 268435456 {DaxPath}", reason);
    }

    [Fact]
    public void Advertised_persistence_over_a_backend_that_lacks_it_is_warned()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.PlainFile("/srv/vm.img", Size256M));

        CheckReport report = Check(host, "memory-backend-file,id=m1,share=on,pmem=on,mem-path=/srv/vm.img,size=256M", machine: "pc,nvdimm=on,nvdimm-persistence=cpu");

        Assert.Equal("cpu", report.NvdimmPersistence);
        Assert.Contains(Only(report).Warnings, w => w.StartsWith("nvdimm-persistence=cpu tells the guest", StringComparison.Ordinal));
        Assert.Contains("persistence_domain cpu_cache", Only(report).GuestView);
    }

    [Fact]
    public void A_pc_dimm_is_volatile_and_does_not_change_the_exit_status()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxFile(DaxPath, Size256M));

        CheckReport report = ConfigurationCheck.Run(
            ["-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
             "-object", "memory-backend-ram,id=r1,size=128M", "-device", "pc-dimm,id=d1,memdev=r1",
             "-object", $"memory-backend-file,id=m1,share=on,pmem=on,mem-path={DaxPath},size=256M", "-device", "nvdimm,id=nv1,memdev=m1"], host);

        Assert.Equal([PersistenceVerdict.Volatile, PersistenceVerdict.Persistent], report.Devices.Select(d => d.Verdict));
        Assert.Equal(0, report.ExitStatus);
        // First fit: the pc-dimm at the device-memory base (4 GiB on pc with 512M), the NVDIMM after it.
        Assert.Equal([0x100000000UL, 0x108000000UL], report.Devices.Select(d => d.Address!.Value));
    }

    [Fact]
    public void Sizes_off_the_128_MiB_memory_block_are_warned()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxFile(DaxPath, 200L << 20));

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=on,pmem=on,mem-path={DaxPath},size=200M", device: "nvdimm,id=nv1,memdev=m1");

        Assert.Contains(Only(report).Warnings, w => w.StartsWith("size 0xc800000 is not a multiple of 128 MiB", StringComparison.Ordinal));
    }

    [Fact]
    public void No_slot_left_for_hotplug_is_warned()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxFile(DaxPath, Size256M));

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=on,pmem=on,mem-path={DaxPath},size=256M", memory: "512M,slots=1,maxmem=4G");

        Assert.Equal((1UL, 1UL, 0UL), (report.Headroom!.Slots, report.Headroom.SlotsUsed, report.Headroom.SlotsFree));
        Assert.Contains(report.Warnings, w => w.StartsWith("no memory slot is left for hotplug: all 1 are used", StringComparison.Ordinal));
        // maxmem 4G - RAM 512M, less the NVDIMM's exposed size.
        Assert.Equal((4UL << 30) - (512UL << 20) - report.Devices[0].PmemSize!.Value, report.Headroom.DeviceMemoryFree);
    }

    [Fact]
    public void Readonly_with_prealloc_is_warned_as_qemu_crashes_on_it()
    {
        // qemu-system-x86_64 7.2 -object memory-backend-file,…,readonly=on,prealloc=on exits with SIGSEGV (status 139).
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxFile(DaxPath, Size256M));

        CheckReport report = Check(host, $"memory-backend-file,id=m1,share=on,pmem=on,readonly=on,prealloc=on,mem-path={DaxPath},size=256M", device: "nvdimm,id=nv1,memdev=m1,unarmed=on");

        Assert.Contains(Only(report).Warnings, w => w.StartsWith("prealloc=on with readonly=on: qemu-system-x86_64 7.2 dies of a segmentation fault", StringComparison.Ordinal));
        Assert.Contains("read-only (not armed)", Only(report).GuestView);
    }
}
