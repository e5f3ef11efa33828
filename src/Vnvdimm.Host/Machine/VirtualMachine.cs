using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Memory;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Machine;

/// <summary>
/// A pc/q35 machine with its backends, memory devices and guest-physical address space, built
/// from a command line in the order QEMU 7.2 builds it: options, backends, board, devices.
/// </summary>
public sealed class VirtualMachine : IDisposable
{
    private readonly List<MemoryBackend> _backends = [];
    private readonly List<MemoryDevice> _devices = [];
    private readonly Lock _plugLock = new();

    private VirtualMachine(VmConfiguration configuration, StderrSink stderr)
    {
        Configuration = configuration;
        Stderr = stderr;
    }

    public VmConfiguration Configuration { get; }
    public MachineOptions Options => Configuration.Machine;
    public StderrSink Stderr { get; }
    public X86MemoryLayout Layout { get; private set; } = null!;
    public DeviceMemoryRegion DeviceMemory { get; private set; } = null!;
    public GuestAddressSpace AddressSpace { get; } = new();

    /// <summary>The number of NUMA nodes (an implicit one when slots are given without -numa).</summary>
    public int NumaNodeCount { get; private set; }

    /// <summary>Backends in creation order (user objects, then the implicit "pc.ram").</summary>
    public IReadOnlyList<MemoryBackend> Backends => _backends;

    /// <summary>The memory backend that holds guest RAM when no -numa memdev supplies it.</summary>
    public MemoryBackend? MainRam { get; private set; }

    /// <summary>Realized memory devices in plug order.</summary>
    public IReadOnlyList<MemoryDevice> MemoryDevices => _devices;

    public IEnumerable<NvdimmDevice> Nvdimms => _devices.OfType<NvdimmDevice>().OrderBy(d => d.Slot);

    /// <summary>Raised after an NVDIMM is plugged (cold or hot), with the plug lock held.</summary>
    public event Action<NvdimmDevice>? NvdimmPlugged;

    public static VirtualMachine Create(IReadOnlyList<string> args, StderrSink stderr)
    {
        VmConfiguration configuration = VmConfiguration.Parse(args, stderr.Report);
        var machine = new VirtualMachine(configuration, stderr);
        try
        {
            machine.Build();
            return machine;
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }

    private void Build()
    {
        VmConfiguration config = Configuration;
        foreach ((VmOption option, QemuOpts opts) in config.Objects)
        {
            AddObject(option.Location, opts);
        }

        CpuOptions cpu = CpuOptions.Parse(config.Cpu);
        IReadOnlyList<NumaNodeOptions> nodes = NumaNodeOptions.Parse(config.Numa);
        NumaNodeCount = nodes.Count > 0 ? nodes.Count : config.Memory.Slots > 0 ? 1 : 0;

        Layout = X86MemoryLayout.Compute(config.Machine, config.Memory, cpu);
        DeviceMemory = new DeviceMemoryRegion(Layout, Stderr.Report);
        MapRam(nodes);

        foreach ((VmOption option, QemuOpts opts) in config.Devices)
        {
            try
            {
                MemoryDevice device = MemoryDeviceFactory.Create(opts, FindBackend, id => _devices.Any(d => d.Id == id));
                PlugMemoryDevice(device, hotplug: false);
            }
            catch (QemuOptionException e)
            {
                throw e.WithLocation(option.Location);
            }
        }
    }

    /// <summary>Creates, validates and allocates one memory backend (-object or object_add).</summary>
    public MemoryBackend AddObject(string location, QemuOpts opts)
    {
        MemoryBackend backend;
        try
        {
            string type = opts.Get("qom-type") ?? throw new QemuOptionException("Parameter 'qom-type' is missing");
            backend = MemoryBackend.Create(type, opts, Stderr);
            if (FindBackend(backend.Id) is not null || backend.Id == "pc.ram")
            {
                throw new QemuOptionException($"Duplicate ID '{backend.Id}' for object");
            }
        }
        catch (QemuOptionException e)
        {
            throw e.WithLocation(location);
        }
        try
        {
            // Setter and allocation errors are reported without the option, as QEMU does.
            backend.Validate();
            backend.Allocate(Configuration.SmpCpus);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
        lock (_plugLock)
        {
            _backends.Add(backend);
        }
        return backend;
    }

    public MemoryBackend? FindBackend(string id)
    {
        lock (_plugLock)
        {
            return _backends.FirstOrDefault(b => b.Id == id);
        }
    }

    // Guest RAM: -numa memdevs in node order, else the implicit pc.ram; split below/above 4 GiB.
    private void MapRam(IReadOnlyList<NumaNodeOptions> nodes)
    {
        var segments = new List<MemoryBackend>();
        if (nodes.Any(n => n.Memdev is not null))
        {
            ulong total = 0;
            foreach (NumaNodeOptions node in nodes)
            {
                if (node.Memdev is null)
                {
                    throw new QemuOptionException("memdev option must be specified for either all or no nodes");
                }
                MemoryBackend backend = FindBackend(node.Memdev) ?? throw new QemuOptionException($"Device '{node.Memdev}' not found");
                if (backend.InUse)
                {
                    throw new QemuOptionException($"memory backend {node.Memdev} can not be used multiple times.");
                }
                backend.InUse = true;
                segments.Add(backend);
                total += backend.Size;
            }
            if (total != Layout.RamSize)
            {
                throw new QemuOptionException($"total memory for NUMA nodes (0x{total:x}) should equal RAM size (0x{Layout.RamSize:x})");
            }
        }
        else
        {
            MainRam = RamBackend.CreateMainRam(Layout.RamSize, Stderr);
            MainRam.Allocate(Configuration.SmpCpus);
            MainRam.InUse = true;
            _backends.Add(MainRam);
            segments.Add(MainRam);
        }

        // Walk the RAM as one run of bytes and cut it at the below-4 GiB boundary.
        ulong ramOffset = 0;
        foreach (MemoryBackend backend in segments)
        {
            ulong backendOffset = 0;
            while (backendOffset < backend.Size)
            {
                bool below = ramOffset < Layout.BelowFourGiB;
                ulong limit = below ? Layout.BelowFourGiB - ramOffset : ulong.MaxValue;
                ulong length = Math.Min(backend.Size - backendOffset, limit);
                ulong guest = below ? ramOffset : Layout.AboveFourGiBStart + (ramOffset - Layout.BelowFourGiB);
                AddressSpace.Add(new GuestMemoryRegion(new GuestAddress(guest), length, backend, backendOffset, below ? "ram-below-4g" : "ram-above-4g"));
                backendOffset += length;
                ramOffset += length;
            }
        }
    }

    /// <summary>
    /// Plugs a memory device: QEMU's pre-plug (machine, slot, region, address), realize (busy
    /// memdev, node) and plug (map, FIT update) steps, in that order.
    /// </summary>
    public void PlugMemoryDevice(MemoryDevice device, bool hotplug)
    {
        lock (_plugLock)
        {
            if (device is NvdimmDevice && !Options.Nvdimm)
            {
                throw new QemuOptionException("nvdimm is not enabled: missing 'nvdimm' in '-M'");
            }
            int slot = DeviceMemory.AssignSlot(device.Slot);
            device.PrepareMemoryRegion();
            GuestAddress address = DeviceMemory.AssignAddress(
                device.Address.Value == 0 ? null : device.Address.Value, device.Alignment, device.ExposedSize);

            MemoryBackend backend = device.Backend!;
            if (backend.InUse)
            {
                throw new QemuOptionException($"can't use already busy memdev: {backend.Id}");
            }
            if ((NumaNodeCount > 0 && device.Node >= NumaNodeCount) || (NumaNodeCount == 0 && device.Node != 0))
            {
                throw new QemuOptionException(
                    $"'DIMM property node has value {device.Node}' which exceeds the number of numa nodes: {(NumaNodeCount > 0 ? NumaNodeCount : 1)}");
            }

            device.Slot = slot;
            device.Address = address;
            device.Hotplugged = hotplug;
            device.IsRealized = true;
            backend.InUse = true;
            AddressSpace.Add(new GuestMemoryRegion(address, device.ExposedSize, backend, 0, device.Id ?? device.Driver));
            DeviceMemory.Add(device);
            _devices.Add(device);
            if (device is NvdimmDevice nvdimm)
            {
                NvdimmPlugged?.Invoke(nvdimm);
            }
        }
    }

    public void Dispose()
    {
        for (int i = _backends.Count - 1; i >= 0; i--)
        {
            _backends[i].Dispose();
        }
    }
}
