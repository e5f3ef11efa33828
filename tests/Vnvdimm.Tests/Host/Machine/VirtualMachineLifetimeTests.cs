using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Dsm;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Memory;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;
using Vnvdimm.Platform.Memory;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Machine;

/// <summary>VirtualMachine.Dispose and failed plugs (issue 10, item 6).</summary>
public sealed class VirtualMachineLifetimeTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new("vnvdimm-lifetime-");
    private readonly List<string> _stderr = [];

    public void Dispose() => _scratch.Dispose();

    private VirtualMachine Create(params string[] extra) => VirtualMachine.Create(
        [
            "-machine", "pc,nvdimm=on", "-m", "16M,slots=4,maxmem=4G",
            "-object", "memory-backend-ram,id=m0,size=4M",
            "-device", "nvdimm,id=nv0,memdev=m0,label-size=128K",
            .. extra,
        ],
        StderrSink.Collect(_stderr));

    private static QemuOpts Object(string text) => QemuOpts.Parse(text, "qom-type");

    private static QemuOpts Device(string text) => QemuOpts.Parse(text, "driver");

    [Fact]
    public void Dispose_is_final_and_idempotent_and_guest_accesses_answer_not_mapped()
    {
        VirtualMachine machine = Create();
        NvdimmDevice nv0 = machine.Nvdimms.Single();
        MappedRegion ram = machine.MainRam!.Region!;
        MappedRegion pmem = nv0.Backend!.Region!;
        var page = new GuestAddress(0x8000);
        Assert.True(machine.AddressSpace.TryWrite(page, [1, 2, 3]));
        Assert.True(machine.AddressSpace.TryWrite(nv0.Address, [4]));

        machine.Dispose();
        machine.Dispose();

        Assert.True(machine.IsDisposed);
        Assert.Empty(machine.Backends);
        Assert.True(ram.IsUnmapped);
        Assert.True(pmem.IsUnmapped);
        Assert.False(machine.AddressSpace.TryRead(page, new byte[3]));
        Assert.False(machine.AddressSpace.TryWrite(nv0.Address, [5]));
        Assert.False(machine.Bus.Memory.TryRead(page, new byte[1]));
        // A DSM call on a page that is gone does nothing, as a failed DMA in QEMU.
        machine.Bus.WritePort(NvdimmDsmMailbox.IoBase, 4, (uint)page.Value);
        Assert.Empty(_stderr);
    }

    [Fact]
    public void Hotplug_and_object_add_after_dispose_are_refused_and_create_nothing()
    {
        VirtualMachine machine = Create();
        MonitorCommands monitor = MonitorCommands.For(machine);
        machine.Dispose();
        string path = _scratch.File("late.img");

        var objectAdd = Assert.Throws<QmpException>(() => monitor.ObjectAdd(Object($"memory-backend-file,id=m1,size=4M,mem-path={path}")));
        Assert.Equal(VirtualMachine.ShutDownMessage, objectAdd.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(machine.Backends);

        var direct = Assert.Throws<QemuOptionException>(() => machine.AddObject("object_add", Object("memory-backend-ram,id=m2,size=4M")));
        Assert.Equal(VirtualMachine.ShutDownMessage, direct.Message);

        // A device built before the dispose (its backend found then) is refused at plug time.
        var device = new NvdimmDevice("nv9", machine.Nvdimms.Single().Backend, MemoryDevice.UnassignedSlot, 0, 0, 0x20000, unarmed: false, Guid.Empty);
        var plug = Assert.Throws<QemuOptionException>(() => machine.PlugMemoryDevice(device, hotplug: true));
        Assert.Equal(VirtualMachine.ShutDownMessage, plug.Message);
        Assert.False(device.IsRealized);
        Assert.Single(machine.MemoryDevices);

        Assert.Throws<QmpException>(() => monitor.DeviceAdd(Device("nvdimm,id=nv1,memdev=m0")));
        var del = Assert.Throws<QmpException>(() => monitor.ObjectDel("m0"));
        Assert.Equal(VirtualMachine.ShutDownMessage, del.Message);
    }

    [Fact]
    public void A_lease_held_across_machine_dispose_defers_the_munmap_until_released()
    {
        VirtualMachine machine = Create();
        MappedRegion pmem = machine.Nvdimms.Single().Backend!.Region!;
        Assert.True(pmem.TryAcquire());

        machine.Dispose();

        Assert.False(pmem.IsUnmapped);
        Assert.False(machine.AddressSpace.TryRead(machine.Nvdimms.Single().Address, new byte[1]));
        pmem.LeasedSpan(0, 1)[0] = 0x42;
        pmem.Release();
        Assert.True(pmem.IsUnmapped);
    }

    [Fact]
    public void A_refused_address_space_add_leaves_the_backend_free_for_a_later_device_add()
    {
        VirtualMachine machine = Create();
        MonitorCommands monitor = MonitorCommands.For(machine);
        monitor.ObjectAdd(Object("memory-backend-ram,id=m1,size=4M"));
        MemoryBackend m1 = machine.FindBackend("m1")!;
        // Something else already maps the first free device-memory address, where nv1 would go.
        MemoryBackend blocker = RamBackend.CreateMainRam(0x1000);
        blocker.Allocate(1);
        ulong free = machine.MemoryDevices.Max(d => d.Address.Value + d.ExposedSize);
        machine.AddressSpace.Add(new GuestMemoryRegion(new GuestAddress(free), 0x1000, blocker, 0, "blocker"));
        MemoryDevice refused = MemoryDeviceFactory.Create(Device("nvdimm,id=nv1,memdev=m1,label-size=128K"), machine.FindBackend, _ => false);

        Assert.Throws<GuestMemoryOverlapException>(() => machine.PlugMemoryDevice(refused, hotplug: true));

        Assert.False(m1.InUse);
        Assert.False(refused.IsRealized);
        Assert.Single(machine.MemoryDevices);
        Assert.Single(machine.DeviceMemory.Devices);
        Assert.DoesNotContain(machine.AddressSpace.Regions, r => r.Backend == m1);
        // The backend can still be plugged (elsewhere), and takes the slot the refused plug did not keep.
        NvdimmDevice later = (NvdimmDevice)monitor.DeviceAdd(Device($"nvdimm,id=nv2,memdev=m1,label-size=128K,addr=0x{free + 0x4000_0000:x}"));
        Assert.True(m1.InUse);
        Assert.Equal(1, later.Slot);
        Assert.Equal(2, machine.Nvdimms.Count());

        machine.Dispose();
        blocker.Dispose();
        Assert.Empty(_stderr);
    }

    [Fact]
    public void Object_del_of_a_backend_freed_by_a_refused_plug_succeeds()
    {
        VirtualMachine machine = Create();
        MonitorCommands monitor = MonitorCommands.For(machine);
        monitor.ObjectAdd(Object("memory-backend-ram,id=m1,size=4M"));
        MemoryBackend blocker = RamBackend.CreateMainRam(0x1000);
        blocker.Allocate(1);
        ulong free = machine.MemoryDevices.Max(d => d.Address.Value + d.ExposedSize);
        machine.AddressSpace.Add(new GuestMemoryRegion(new GuestAddress(free), 0x1000, blocker, 0, "blocker"));
        MemoryDevice refused = MemoryDeviceFactory.Create(Device("nvdimm,id=nv1,memdev=m1"), machine.FindBackend, _ => false);
        Assert.Throws<GuestMemoryOverlapException>(() => machine.PlugMemoryDevice(refused, hotplug: true));

        monitor.ObjectDel("m1");

        Assert.Null(machine.FindBackend("m1"));
        Assert.False(((NvdimmDevice)refused).Backend!.IsMapped);
        machine.Dispose();
        blocker.Dispose();
    }
}
