using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;

namespace Vnvdimm.Tests.Host.Devices;

/// <summary>-device nvdimm/pc-dimm properties: QEMU 7.2's keyval types, messages and QDict order.</summary>
public sealed class MemoryDeviceFactoryTests : IDisposable
{
    private readonly MemoryBackend _ram;

    public MemoryDeviceFactoryTests()
    {
        _ram = MemoryBackend.Create("memory-backend-ram", QemuOpts.Parse("id=m1,size=4M", null));
        _ram.Allocate(1);
    }

    private MemoryDevice Create(string text, params string[] devices) =>
        MemoryDeviceFactory.Create(QemuOpts.Parse(text, "driver"), id => id == "m1" ? _ram : null, devices.Contains);

    private string Error(string text, params string[] devices) => Assert.Throws<QemuOptionException>(() => Create(text, devices)).Message;

    [Fact]
    public void Nvdimm_properties_are_read()
    {
        var nvdimm = (NvdimmDevice)Create("nvdimm,id=n,memdev=m1,slot=0x2,addr=0x100000000,node=1,label-size=256K,unarmed=on,uuid=12345678-1234-1234-1234-123456789abc");
        Assert.Equal(("n", 2, 0x1_0000_0000UL, 1u, 256UL << 10, true), (nvdimm.Id, nvdimm.Slot, nvdimm.Address.Value, nvdimm.Node, nvdimm.LabelSize, nvdimm.Unarmed));
        Assert.Equal(Guid.Parse("12345678-1234-1234-1234-123456789abc"), nvdimm.Uuid);
        Assert.Same(_ram, nvdimm.Backend);
    }

    [Theory]
    [InlineData("nvdimm,memdev=m1,slot=x", "Parameter 'slot' expects integer")]
    [InlineData("nvdimm,memdev=m1,slot=0x7fffffff0", "Parameter 'slot' expects int32_t")]
    [InlineData("nvdimm,memdev=m1,node=x", "Parameter 'node' expects integer")]
    [InlineData("nvdimm,memdev=m1,node=-1", "Parameter 'node' expects uint32_t")]
    [InlineData("nvdimm,memdev=m1,addr=x", "Parameter 'addr' expects integer")]
    [InlineData("nvdimm,memdev=m1,label-size=1Q", "Parameter 'label-size' expects size")]
    [InlineData("nvdimm,memdev=m1,label-size=1K", "Property 'nvdimm.label-size' (0x400) is required at least 0x20000")]
    [InlineData("nvdimm,memdev=m1,unarmed=maybe", "Parameter 'unarmed' expects 'on' or 'off'")]
    [InlineData("nvdimm,memdev=m1,uuid=xyz", "Property 'nvdimm.uuid' has invalid value")]
    [InlineData("nvdimm,memdev=m1,uuid=auto", "Property 'nvdimm.uuid' has invalid value")]
    [InlineData("nvdimm,memdev=m1,size=1", "Property 'nvdimm.size' is not writable")]
    [InlineData("nvdimm,memdev=m1,foo=1", "Property 'nvdimm.foo' not found")]
    [InlineData("pc-dimm,memdev=m1,label-size=128K", "Property 'pc-dimm.label-size' not found")]
    [InlineData("nvdimm,memdev=m2", "Device 'm2' not found")]
    [InlineData("nvdimm,memdev=/objects/", "Invalid parameter type for 'memdev', expected: memory-backend")]
    [InlineData("nvdimm,id=a,memdev=a", "Invalid parameter type for 'memdev', expected: memory-backend")]
    [InlineData("foo,memdev=m1", "'foo' is not a valid device model name")]
    [InlineData("id=x", "Parameter 'driver' is missing")]
    [InlineData("nvdimm,memdev=m1,bus=x", "Bus 'x' not found")]
    public void Property_errors_match_qemu(string text, string expected)
    {
        Assert.Equal(expected, Error(text));
    }

    [Fact]
    public void Memdev_accepts_partial_and_absolute_paths_and_an_empty_value_unsets_it()
    {
        Assert.Same(_ram, Create("nvdimm,memdev=/objects/m1").Backend);
        Assert.Same(_ram, Create("nvdimm,memdev=objects/m1").Backend);
        Assert.Null(Create("nvdimm,memdev=").Backend);
        Assert.Equal("Invalid parameter type for 'memdev', expected: memory-backend", Error("nvdimm,memdev=d0", "d0"));
    }

    [Fact]
    public void Properties_are_set_in_qdict_order()
    {
        // tdb_hash % 512: label-size 13, memdev 42, unarmed 209, slot 350, node 359.
        Assert.Equal("Property 'nvdimm.label-size' (0x400) is required at least 0x20000", Error("nvdimm,slot=x,node=x,unarmed=x,memdev=m2,label-size=1K"));
        Assert.Equal("Device 'm2' not found", Error("nvdimm,slot=x,node=x,unarmed=x,memdev=m2"));
        Assert.Equal("Parameter 'unarmed' expects 'on' or 'off'", Error("nvdimm,slot=x,node=x,unarmed=x"));
        Assert.Equal("Parameter 'slot' expects integer", Error("nvdimm,node=x,slot=x"));
    }

    public void Dispose() => _ram.Dispose();
}
