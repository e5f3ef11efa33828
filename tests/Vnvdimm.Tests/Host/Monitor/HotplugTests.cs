using System.Text;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>The host side of NVDIMM hotplug: placement, FIT dirty, GPE0 bit 4 + SCI for hot plugs only, maxmem.</summary>
public sealed class HotplugTests
{
    private static string One(QmpSession session, string json) => Assert.Single(session.Handle(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Cold_plug_raises_no_event()
    {
        using var rig = new MonitorTestMachine();
        Assert.Equal(0UL, rig.Machine.Bus.Gpe0Status);
    }

    [Fact]
    public void Hot_plugged_nvdimm_is_placed_marks_the_fit_dirty_and_raises_gpe0_bit_4()
    {
        using var rig = new MonitorTestMachine();
        VirtualMachine machine = rig.Machine;
        var scis = new List<ulong>();
        bool dirtyAtSci = false;
        machine.Bus.Sci += status =>
        {
            scis.Add(status);
            dirtyAtSci = machine.DsmMailbox!.IsFitDirty;
        };
        var session = new QmpSession(MonitorCommands.For(machine));
        One(session, "{\"execute\": \"qmp_capabilities\"}");
        Assert.Equal("{\"return\": {}}", One(session, rig.ObjectAddJson("mem2", "hpb.img")));
        Assert.Empty(scis);
        Assert.Equal("{\"return\": {}}", One(session, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"nvdimm\", \"id\": \"nvdimm2\", \"memdev\": \"mem2\", \"label-size\": 131072}}"));

        Assert.Equal([1UL << MachineConstants.Bit], scis);
        Assert.True(dirtyAtSci);
        Assert.Equal(1UL << 4, machine.Bus.Gpe0Status & (1UL << 4));
        NvdimmDevice added = machine.Nvdimms.Single(d => d.Id == "nvdimm2");
        Assert.True(added.Hotplugged);
        Assert.Equal(1, added.Slot);
        Assert.Equal(4563271680UL, added.Address.Value);
        Assert.Equal("{\"return\": {\"base-memory\": 536870912, \"plugged-memory\": 536608768}}", One(session, "{\"execute\": \"query-memory-size-summary\"}"));
    }

    [Fact]
    public void A_failed_hot_plug_raises_nothing_and_maxmem_counts_hot_added_devices()
    {
        // maxmem leaves 768 MiB of device memory: the cold 256 MiB NVDIMM, one more, then no room.
        using var rig = new MonitorTestMachine(maxmem: "1280M");
        var session = new QmpSession(MonitorCommands.For(rig.Machine));
        One(session, "{\"execute\": \"qmp_capabilities\"}");
        int scis = 0;
        rig.Machine.Bus.Sci += _ => scis++;
        Assert.Equal("{\"return\": {}}", One(session, rig.ObjectAddJson("mem2", "b.img")));
        Assert.Equal("{\"return\": {}}", One(session, rig.ObjectAddJson("mem3", "c.img", "536870912")));
        Assert.Equal("{\"return\": {}}", One(session, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"nvdimm\", \"id\": \"nv2\", \"memdev\": \"mem2\"}}"));
        Assert.Equal(1, scis);
        string refused = One(session, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"nvdimm\", \"id\": \"nv3\", \"memdev\": \"mem3\"}}");
        Assert.StartsWith("{\"error\": {\"class\": \"GenericError\", \"desc\": \"not enough space, currently 0x", refused);
        Assert.Equal(1, scis);
        Assert.False(rig.Machine.Backends.Single(b => b.Id == "mem3").InUse);
        Assert.Equal("{\"return\": {}}", One(session, "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"mem3\"}}"));
    }

    private static class MachineConstants
    {
        public const int Bit = VirtualMachine.NvdimmHotplugGpeBit;
    }
}
