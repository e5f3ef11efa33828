using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Json;
using Vnvdimm.Host.Memory;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Machine;

// The steps of QEMU 7.2's qemu_init after the machine's properties, in its order: late backends,
// -cpu, -machine memory-backend, -numa, board init (RAM, NUMA completion, CPU, memory layout),
// then -device. Each step reports errors exactly where QEMU does.
public sealed partial class VirtualMachine
{
    /// <summary>The realized first CPU's view of the address space (phys-bits, vendor).</summary>
    public CpuOptions Cpu { get; private set; } = CpuOptions.Default;

    /// <summary>The -numa nodes (or the implied one), by node id.</summary>
    public IReadOnlyList<NumaNodeOptions> NumaNodes { get; private set; } = [];

    private void BuildBoard()
    {
        VmConfiguration config = Configuration;
        ConfigureAccelerators(config);

        // qemu_create_late_backends: setters and allocation, without location.
        foreach ((VmOption option, _, MemoryBackend backend) in config.Objects)
        {
            try
            {
                AllocateBackend(backend);
            }
            catch (QemuOptionException e) when (IsPlan)
            {
                // A dry run records the refusal and goes on with the next object.
                _planRefusals.Add(new PlanRefusal(option, backend.Id, e));
            }
        }

        CpuOptions cpu = CpuOptions.Parse(config.Cpu, Stderr.Report);

        // qemu_resolve_machine_memdev.
        MemoryBackend? machineMemdev = null;
        MemoryOptions memory = config.Memory;
        if (config.Machine.MemoryBackend is { } memdevId)
        {
            machineMemdev = FindBackend(memdevId) ?? throw new QemuOptionException($"Memory backend '{memdevId}' not found");
            if (!memory.HasCustomSize)
            {
                memory = memory with { RamSize = machineMemdev.Size };
            }
        }

        // parse_numa_opts: each -numa with its location.
        var nodes = new List<NumaNodeOptions>();
        var distances = new List<NumaDistanceOptions>();
        foreach ((VmOption option, QemuOpts opts) in config.Numa)
        {
            try
            {
                switch (NumaNodeOptions.ParseOne(opts, nodes, config.MaxCpus, FindBackend, config.Machine.Hmat))
                {
                    case NumaNodeOptions node:
                        nodes.Add(node);
                        break;
                    case NumaDistanceOptions distance:
                        distances.Add(distance);
                        break;
                }
            }
            catch (QemuOptionException e)
            {
                throw e.WithLocation(option.Location);
            }
        }

        // machine_run_board_init.
        if (machineMemdev is not null && machineMemdev.Size != memory.RamSize)
        {
            throw new QemuOptionException("Machine memory size does not match the size of the memory backend");
        }
        bool legacyRam = nodes.All(n => n.Memdev is null);
        if (machineMemdev is null && memory.RamSize != 0 && legacyRam)
        {
            if (FindBackend("pc.ram") is not null)
            {
                throw new QemuOptionException("object name 'pc.ram' is reserved for the default RAM backend, it can't be used for any other purposes. Change the object's 'id' to something else");
            }
            MainRam = RamBackend.CreateMainRam(memory.RamSize, Stderr);
            AllocateBackend(MainRam);
        }
        List<MemoryBackend> ramSegments = CompleteNuma(nodes, distances, memory, machineMemdev);

        Layout = X86MemoryLayout.Compute(config.Machine, memory, cpu, Stderr.Report);
        Cpu = cpu.Realize();
        DeviceMemory = new DeviceMemoryRegion(Layout, Stderr.Report);
        MapRam(ramSegments);
    }

    // configure_accelerators: unknown names are reported (not fatal while one works); vnvdimm
    // itself runs no accelerator, so tcg and kvm are both accepted as names.
    private void ConfigureAccelerators(VmConfiguration config)
    {
        if (config.Accelerator is { } option)
        {
            if (config.Machine.Accelerators is not null)
            {
                throw new QemuOptionException("The -accel and \"-machine accel=\" options are incompatible");
            }
            if (option.Name is not ("tcg" or "kvm"))
            {
                throw new QemuOptionException($"invalid accelerator {option.Name}", option.Location);
            }
            return;
        }
        string[] names = (config.Machine.Accelerators ?? "tcg").Split(':');
        string[] invalid = names.Where(n => n is not ("tcg" or "kvm")).ToArray();
        string? chosen = names.FirstOrDefault(n => n is "tcg" or "kvm");
        for (int i = 0; i < invalid.Length; i++)
        {
            if (chosen is null && i == invalid.Length - 1)
            {
                throw new QemuOptionException($"invalid accelerator {invalid[i]}");
            }
            Stderr.Report($"invalid accelerator {invalid[i]}");
        }
        if (chosen is null)
        {
            throw new QemuOptionException("no accelerator found");
        }
        if (invalid.Length > 0)
        {
            Stderr.Report($"falling back to {chosen}");
        }
    }

    // numa_complete_configuration: the implied node, missing ids, the RAM total, then the
    // memdevs become guest RAM in node order. Returns the backends that hold RAM, in order.
    private List<MemoryBackend> CompleteNuma(List<NumaNodeOptions> nodes, List<NumaDistanceOptions> distances, MemoryOptions memory, MemoryBackend? machineMemdev)
    {
        if (nodes.Count == 0 && (memory.Slots > 0 || memory.MaxMem > memory.RamSize))
        {
            // pc machines enable NUMA with memory hotplug: one node holds all RAM.
            nodes.Add(new NumaNodeOptions(0, null) { Memory = memory.RamSize });
        }
        uint maxNodeId = nodes.Count == 0 ? 0 : nodes.Max(n => n.NodeId) + 1;
        for (long id = (long)maxNodeId - 1; id >= 0; id--)
        {
            if (!nodes.Any(n => n.NodeId == id))
            {
                throw new QemuOptionException($"numa: Node ID missing: {id}");
            }
        }
        NumaNodes = nodes.OrderBy(n => n.NodeId).ToList();
        NumaNodeCount = nodes.Count;

        var segments = new List<MemoryBackend>();
        if (nodes.Count > 0)
        {
            ulong total = nodes.Aggregate(0UL, (sum, n) => unchecked(sum + n.Memory));
            if (total != memory.RamSize)
            {
                throw new QemuOptionException($"total memory for NUMA nodes (0x{total:x}) should equal RAM size (0x{memory.RamSize:x})");
            }
            if (nodes.Any(n => n.Memdev is not null))
            {
                if (machineMemdev is not null)
                {
                    throw new QemuOptionException("'-machine memory-backend' and '-numa memdev' properties are mutually exclusive");
                }
                foreach (NumaNodeOptions node in NumaNodes.Where(n => n.Memdev is not null))
                {
                    segments.Add(ConsumeMemdev(FindBackend(node.Memdev!)!));
                }
            }
            if (distances.Count > 0)
            {
                NumaDistanceOptions.Validate(distances, nodes.Count);
            }
            if (segments.Count > 0)
            {
                return segments;
            }
        }
        if (machineMemdev is not null)
        {
            segments.Add(ConsumeMemdev(machineMemdev));
        }
        else if (MainRam is not null)
        {
            MainRam.InUse = true;
            segments.Add(MainRam);
        }
        return segments;
    }

    // machine_consume_memdev: a backend becomes RAM once.
    private static MemoryBackend ConsumeMemdev(MemoryBackend backend)
    {
        if (backend.InUse)
        {
            throw new QemuOptionException($"memory backend {backend.Id} can't be used multiple times.");
        }
        backend.InUse = true;
        return backend;
    }

    // Guest RAM as one run of bytes, cut at the below-4 GiB boundary.
    private void MapRam(List<MemoryBackend> segments)
    {
        if (IsPlan)
        {
            return;
        }
        ulong ramOffset = 0;
        foreach (MemoryBackend backend in segments)
        {
            ulong backendOffset = 0;
            while (backendOffset < backend.Size && ramOffset < Layout.RamSize)
            {
                bool below = ramOffset < Layout.BelowFourGiB;
                ulong limit = below ? Layout.BelowFourGiB - ramOffset : Layout.RamSize - ramOffset;
                ulong length = Math.Min(backend.Size - backendOffset, limit);
                ulong guest = below ? ramOffset : Layout.AboveFourGiBStart + (ramOffset - Layout.BelowFourGiB);
                AddressSpace.Add(new GuestMemoryRegion(new GuestAddress(guest), length, backend, backendOffset, below ? "ram-below-4g" : "ram-above-4g"));
                backendOffset += length;
                ramOffset += length;
            }
        }
    }

    // Property setters, then allocation (host_memory_backend_memory_complete); no location.
    private void AllocateBackend(MemoryBackend backend)
    {
        backend.SetMachineDefaults(Options.MemMerge, Options.DumpGuestCore);
        try
        {
            backend.Validate();
            // object_property_try_add_child under /objects: a JSON -object is not in QemuOpts'
            // id list, so a clash with it is found only here.
            if (FindBackend(backend.Id) is not null)
            {
                throw new QemuOptionException($"attempt to add duplicate property '{backend.Id}' to object (type 'container')");
            }
            if (_inspector is { } inspector)
            {
                backend.Plan(inspector);
            }
            else
            {
                backend.Allocate(Configuration.SmpCpus);
            }
        }
        catch
        {
            backend.Dispose();
            throw;
        }
        lock (_plugLock)
        {
            // Checked again here: the machine may have been disposed, or a concurrent
            // object_add may have taken the id, while this backend was being allocated.
            if (_disposed || _backends.Any(b => b.Id == backend.Id))
            {
                backend.Dispose();
                throw new QemuOptionException(_disposed ? ShutDownMessage : $"Duplicate ID '{backend.Id}' for object");
            }
            _backends.Add(backend);
        }
    }

    // qemu_create_cli_devices: each -device with its location, the key=value ones first, then
    // the JSON ones, each in their order.
    private void CreateCliDevices()
    {
        foreach ((VmOption option, QemuOpts opts) in Configuration.Devices)
        {
            CreateCliDevice(option, () => MemoryDeviceFactory.Create(opts, FindBackend, IsDeviceId));
        }
        foreach ((VmOption option, QemuJsonObject json) in Configuration.JsonDevices)
        {
            CreateCliDevice(option, () => MemoryDeviceFactory.Create(json, FindBackend, IsDeviceId));
        }
    }

    private bool IsDeviceId(string id) => MemoryDevices.Any(d => d.Id == id);

    private void CreateCliDevice(VmOption option, Func<MemoryDevice> create)
    {
        try
        {
            PlugMemoryDevice(create(), hotplug: false);
        }
        catch (QemuOptionException e) when (IsPlan)
        {
            _planRefusals.Add(new PlanRefusal(option, null, e.WithLocation(option.Location)));
        }
        catch (QemuOptionException e)
        {
            throw e.WithLocation(option.Location);
        }
    }
}
