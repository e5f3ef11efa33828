using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Machine;

/// <summary>
/// Slot choice (pc_dimm_get_free_slot) and first-fit placement (memory_device_get_free_addr) on
/// a region at 4 GiB: -m 512M,slots=4,maxmem=4G gives 3.5 GiB of budget and 7.5 GiB of region.
/// </summary>
public sealed class DeviceMemoryRegionTests : IDisposable
{
    private const ulong MiB = 1UL << 20;
    private const ulong Base = 0x1_0000_0000;

    private readonly List<MemoryBackend> _backends = [];
    private readonly List<string> _warnings = [];
    private readonly DeviceMemoryRegion _region;

    public DeviceMemoryRegionTests()
    {
        VmConfiguration config = VmConfiguration.Parse(["-m", "512M,slots=4,maxmem=4G"], _ => { });
        X86MemoryLayout layout = X86MemoryLayout.Compute(config.Machine, config.Memory, CpuOptions.Default);
        _region = new DeviceMemoryRegion(layout, _warnings.Add);
    }

    private PcDimmDevice Plug(string? id, ulong size, ulong? addr = null, int slot = MemoryDevice.UnassignedSlot)
    {
        MemoryBackend backend = MemoryBackend.Create("memory-backend-ram", QemuOpts.Parse($"id=b{_backends.Count},size={size}", null));
        backend.Allocate(1);
        _backends.Add(backend);
        var device = new PcDimmDevice(id, backend, slot, addr ?? 0, 0);
        device.Slot = _region.AssignSlot(device.Slot);
        device.Address = _region.AssignAddress(addr, device.Alignment, device.ExposedSize);
        _region.Add(device);
        return device;
    }

    [Fact]
    public void Region_follows_ram_with_a_gigabyte_of_slack_per_slot()
    {
        Assert.Equal(Base, _region.Base);
        Assert.Equal((4096UL - 512) * MiB + 4 * X86MemoryLayout.GiB, _region.Size);
    }

    [Fact]
    public void First_fit_fills_gaps_in_address_order()
    {
        Assert.Equal(Base + 8 * MiB, Plug("a", 4 * MiB, Base + 8 * MiB).Address.Value);
        Assert.Equal(Base, Plug("b", 4 * MiB).Address.Value);
        // 6 MiB does not fit the 4 MiB gap at 4 MiB: it goes after "a".
        Assert.Equal(Base + 12 * MiB, Plug("c", 6 * MiB).Address.Value);
        Assert.Equal(Base + 4 * MiB, Plug("d", 4 * MiB).Address.Value);
        Assert.Equal([Base, Base + 4 * MiB, Base + 8 * MiB, Base + 12 * MiB], _region.Devices.Select(d => d.Address.Value));
        Assert.Equal(18 * MiB, _region.UsedSize);
    }

    [Fact]
    public void Alignment_rounds_the_candidate_up_after_each_device()
    {
        Plug("a", 2 * MiB);
        Assert.Equal(Base + X86MemoryLayout.GiB, _region.AssignAddress(null, X86MemoryLayout.GiB, X86MemoryLayout.GiB).Value);
        Assert.Empty(_warnings);
        // An alignment the region's base does not have only warns; the size check then fails.
        Assert.Equal("backend memory size must be multiple of 0x200000000",
            Assert.Throws<QemuOptionException>(() => _region.AssignAddress(null, 8 * X86MemoryLayout.GiB, 2 * MiB)).Message);
        Assert.Equal(["warning: the alignment (0x200000000) exceeds the expected maximum alignment, memory will get fragmented and not all 'maxmem' might be usable for memory devices."], _warnings);
    }

    [Fact]
    public void Slots_are_explicit_or_the_lowest_free_one()
    {
        Assert.Equal(2, Plug("a", 2 * MiB, slot: 2).Slot);
        Assert.Equal(0, Plug("b", 2 * MiB).Slot);
        Assert.Equal(1, Plug("c", 2 * MiB).Slot);
        Assert.Equal("slot 2 is busy", Assert.Throws<QemuOptionException>(() => _region.AssignSlot(2)).Message);
        Assert.Equal(3, Plug("d", 2 * MiB).Slot);
        Assert.Equal("no free slots available", Assert.Throws<QemuOptionException>(() => _region.AssignSlot(MemoryDevice.UnassignedSlot)).Message);
        Assert.Equal("invalid slot number 4, valid range is [0-3]", Assert.Throws<QemuOptionException>(() => _region.AssignSlot(4)).Message);
        Assert.Equal("invalid slot number -2, valid range is [0-3]", Assert.Throws<QemuOptionException>(() => _region.AssignSlot(-2)).Message);
    }

    [Fact]
    public void Explicit_addresses_are_checked_for_alignment_range_and_overlap()
    {
        Plug("a", 4 * MiB);
        Plug(null, 4 * MiB, Base + 16 * MiB);
        string Error(ulong addr, ulong size = 4 * MiB) =>
            Assert.Throws<QemuOptionException>(() => _region.AssignAddress(addr, 2 * MiB, size)).Message;
        Assert.Equal("address must be aligned to 0x200000 bytes", Error(Base + 0x1000));
        Assert.Equal("can't add memory device [0x200000:0x400000], usable range for memory devices [0x100000000:0x1e0000000]", Error(0x200000));
        Assert.Equal("can't add memory device [0x3e0000000:0x400000], usable range for memory devices [0x100000000:0x1e0000000]", Error(0x3_E000_0000));
        Assert.Equal("address range conflicts with memory device id='a'", Error(Base + 2 * MiB));
        Assert.Equal("address range conflicts with memory device id='(unnamed)'", Error(Base + 14 * MiB));
        // A range may not end exactly at 2^64 (range_init refuses the wrap).
        Assert.StartsWith("can't add memory device [0xffffffffffc00000:", Error(0xFFFF_FFFF_FFC0_0000));
    }

    [Fact]
    public void Budget_is_maxmem_minus_ram_in_exposed_sizes()
    {
        Plug("a", 3 * X86MemoryLayout.GiB);
        Assert.Equal(
            "not enough space, currently 0xc0000000 in use of total space for memory devices 0xe0000000",
            Assert.Throws<QemuOptionException>(() => _region.AssignAddress(null, 2 * MiB, 1 * X86MemoryLayout.GiB)).Message);
        Assert.Equal("backend memory size must be multiple of 0x200000",
            Assert.Throws<QemuOptionException>(() => _region.AssignAddress(null, 2 * MiB, 3 * MiB)).Message);
    }

    [Fact]
    public void Fragmentation_is_reported_when_no_aligned_gap_is_left()
    {
        // The region ends at 11.5 GiB; 2 GiB-aligned candidates at 4, 6 and 8 GiB are taken and
        // [10 GiB, 12 GiB) does not fit, although the budget would allow 2 GiB more.
        Plug("a", 256 * MiB, Base);
        Plug("b", 256 * MiB, Base + 2 * X86MemoryLayout.GiB);
        Plug("c", 256 * MiB, Base + 4 * X86MemoryLayout.GiB);
        Assert.Equal(
            "could not find position in guest address space for memory device - memory fragmented due to alignments",
            Assert.Throws<QemuOptionException>(() => _region.AssignAddress(null, 2 * X86MemoryLayout.GiB, 2 * X86MemoryLayout.GiB)).Message);
    }

    public void Dispose()
    {
        foreach (MemoryBackend backend in _backends)
        {
            backend.Dispose();
        }
    }
}
