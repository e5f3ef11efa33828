using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;

namespace Vnvdimm.Tests.Host.Devices;

/// <summary>Label carving (research §2.5): pmem = align_down(backend − label, backend alignment).</summary>
public sealed class NvdimmDeviceTests
{
    private static NvdimmDevice Prepared(string backendType, string backendOptions, ulong labelSize, bool unarmed = false)
    {
        MemoryBackend backend = MemoryBackend.Create(backendType, QemuOpts.Parse(backendOptions, null));
        backend.Allocate(1);
        var device = new NvdimmDevice("n", backend, MemoryDevice.UnassignedSlot, 0, 0, labelSize, unarmed, Guid.Empty);
        device.PrepareMemoryRegion();
        return device;
    }

    [Theory]
    [InlineData("memory-backend-ram", "id=m,size=4G", 128UL << 10, (4UL << 30) - (2UL << 20))]
    [InlineData("memory-backend-ram", "id=m,size=128M", 0UL, 128UL << 20)]
    [InlineData("memory-backend-memfd", "id=m,size=256M", 128UL << 10, (256UL << 20) - (128UL << 10))]
    [InlineData("memory-backend-ram", "id=m,size=3M", 128UL << 10, 2UL << 20)]
    public void Pmem_size_is_aligned_down_after_the_label(string type, string options, ulong label, ulong expected)
    {
        NvdimmDevice device = Prepared(type, options, label);
        Assert.Equal(expected, device.ExposedSize);
        Assert.Equal(device.Backend!.Size - label, device.LabelAreaOffset);
        device.Backend.Dispose();
    }

    [Theory]
    [InlineData("id=m,size=3M", 2UL << 20, "the size of memdev m (0x300000) is too small to contain nvdimm label (0x200000) and aligned PMEM (0x200000)")]
    [InlineData("id=m,size=2M", 2UL << 20, "the size of memdev m (0x200000) is too small to contain nvdimm label (0x200000) and aligned PMEM (0x200000)")]
    [InlineData("id=m,size=1M", 0UL, "the size of memdev m (0x100000) is too small to contain nvdimm label (0x0) and aligned PMEM (0x200000)")]
    public void Too_small_backends_are_refused(string options, ulong label, string expected)
    {
        Assert.Equal(expected, Assert.Throws<QemuOptionException>(() => Prepared("memory-backend-ram", options, label)).Message);
    }
}
