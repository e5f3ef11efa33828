using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Machine;

/// <summary>The NVDIMM order of QEMU's NFIT: the QOM tree's peripheral containers, in hash order.</summary>
public sealed class QomPeripheralContainersTests
{
    [Fact]
    public void S3s_ids_walk_nv2_before_nv1_as_qemus_nfit_lists_them()
    {
        // s3's NFIT (captured from QEMU 7.2) lists slot 1 (nv2) before slot 0 (nv1).
        var containers = new QomPeripheralContainers();
        containers.Attach("nv1");
        containers.Attach("nv2");
        Assert.Equal([("nv2", false), ("nv1", false)], containers.WalkOrder());
    }

    [Fact]
    public void Anonymous_devices_take_the_lowest_free_index_and_come_after_named_ones()
    {
        var containers = new QomPeripheralContainers();
        Assert.Equal("device[0]", containers.Attach(null));
        Assert.Equal("device[1]", containers.Attach(null));
        containers.Attach("a");
        containers.Detach("device[0]", anonymous: true);
        Assert.Equal("device[0]", containers.Attach(null));
        Assert.Equal(("a", false), containers.WalkOrder().First());
        Assert.Equal(["device[0]", "device[1]"], containers.WalkOrder().Skip(1).Select(c => c.Name).Order());
    }

    [Fact]
    public void The_machine_lists_s3s_nvdimms_nv2_first_and_keeps_slot_order_elsewhere()
    {
        using var scratch = new ScratchDirectory();
        string[] args =
        [
            "-machine", "q35,nvdimm=on", "-m", "512M,slots=3,maxmem=8G",
            "-object", $"memory-backend-file,id=m1,share=on,mem-path={scratch.File("a.img")},size=512M",
            "-device", "nvdimm,id=nv1,memdev=m1,label-size=256K",
            "-object", $"memory-backend-file,id=m2,share=on,mem-path={scratch.File("b.img")},size=128M",
            "-device", "nvdimm,id=nv2,memdev=m2",
        ];
        using VirtualMachine machine = VirtualMachine.Create(args, StderrSink.Collect(new List<string>()));
        Assert.Equal(["nv2", "nv1"], machine.NvdimmsInQomOrder.Select(d => d.Id));
        Assert.Equal(["nv1", "nv2"], machine.Nvdimms.Select(d => d.Id));
    }
}
