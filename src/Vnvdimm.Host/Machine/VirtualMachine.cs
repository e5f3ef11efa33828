using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Dsm;
using Vnvdimm.Host.Memory;
using Vnvdimm.Platform.Bus;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Machine;

/// <summary>
/// A pc/q35 machine with its backends, memory devices and guest-physical address space, built
/// from a command line in the order QEMU 7.2 builds it: options, backends, board, devices.
/// </summary>
public sealed partial class VirtualMachine : IDisposable
{
    private readonly List<MemoryBackend> _backends = [];
    private readonly QomPeripheralContainers _peripherals = new();
    private readonly Lock _plugLock = new();
    // Copy-on-write: guest threads, the DSM mailbox and the monitors enumerate a snapshot.
    private MemoryDevice[] _devices = [];
    private bool _disposed;

    private VirtualMachine(VmConfiguration configuration, StderrSink stderr)
    {
        Configuration = configuration;
        Stderr = stderr;
        Bus = new PlatformBus(AddressSpace);
    }

    public VmConfiguration Configuration { get; }
    public MachineOptions Options => Configuration.Machine;
    public StderrSink Stderr { get; }
    public X86MemoryLayout Layout { get; private set; } = null!;
    public DeviceMemoryRegion DeviceMemory { get; private set; } = null!;
    public GuestAddressSpace AddressSpace { get; } = new();

    // ---- Platform bus and _DSM mailbox (issue 4) ----
    /// <summary>What the guest reaches: guest memory, I/O ports, GPE0/SCI.</summary>
    public PlatformBus Bus { get; }

    /// <summary>The NVDIMM _DSM mailbox on I/O port 0x0A18; null without -machine nvdimm=on.</summary>
    public NvdimmDsmMailbox? DsmMailbox { get; private set; }

    // Registered once RAM is mapped; every NVDIMM plug (cold or hot) refreshes its device and FIT
    // snapshot, and the FIT is rebuilt from the NFIT builder.
    private void AttachDsmMailbox()
    {
        var mailbox = new NvdimmDsmMailbox(AddressSpace, () => Nvdimms, new Acpi.MachineFitSource(this));
        NvdimmPlugged += _ => mailbox.MarkFitDirty();
        Bus.RegisterPortIo(NvdimmDsmMailbox.IoBase, NvdimmDsmMailbox.IoLength, mailbox);
        DsmMailbox = mailbox;
    }
    // ---- end issue 4 ----

    /// <summary>The number of NUMA nodes (an implicit one when slots are given without -numa).</summary>
    public int NumaNodeCount { get; private set; }

    /// <summary>Backends in creation order (user objects, then the implicit "pc.ram"); a snapshot.</summary>
    public IReadOnlyList<MemoryBackend> Backends
    {
        get
        {
            lock (_plugLock)
            {
                return [.. _backends];
            }
        }
    }

    /// <summary>The memory backend that holds guest RAM when no -numa memdev supplies it.</summary>
    public MemoryBackend? MainRam { get; private set; }

    /// <summary>Realized memory devices in plug order; an immutable snapshot.</summary>
    public IReadOnlyList<MemoryDevice> MemoryDevices => Volatile.Read(ref _devices);

    /// <summary>The realized NVDIMMs by slot, from one snapshot of <see cref="MemoryDevices"/>.</summary>
    public IEnumerable<NvdimmDevice> Nvdimms => MemoryDevices.OfType<NvdimmDevice>().OrderBy(d => d.Slot);

    /// <summary>True once disposed: guest memory is unmapped and plugs are refused.</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_plugLock)
            {
                return _disposed;
            }
        }
    }

    /// <summary>What a plug or object-add says once the machine is disposed (QEMU stops its monitors first, so it has no message of its own).</summary>
    public const string ShutDownMessage = "the machine is shutting down";

    /// <summary>
    /// Runs <paramref name="read"/> with the plug lock held, so no device is plugged (and the
    /// machine is not disposed) while it reads the devices, e.g. to describe them to firmware.
    /// </summary>
    public T ReadUnderPlugLock<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_plugLock)
        {
            return read();
        }
    }

    /// <summary>
    /// The NVDIMMs in the order QEMU's nvdimm_get_device_list meets them in the QOM tree: the order
    /// of the NFIT's structure groups, and so of Linux's region numbers.
    /// </summary>
    public IReadOnlyList<NvdimmDevice> NvdimmsInQomOrder
    {
        get
        {
            lock (_plugLock)
            {
                var byName = _devices.OfType<NvdimmDevice>().Where(d => d.QomName is not null)
                    .ToDictionary(d => (d.QomName!, d.Id is null));
                return [.. _peripherals.WalkOrder().Where(byName.ContainsKey).Select(child => byName[child])];
            }
        }
    }

    /// <summary>Raised after an NVDIMM is plugged (cold or hot), with the plug lock held.</summary>
    public event Action<NvdimmDevice>? NvdimmPlugged;

    public static VirtualMachine Create(IReadOnlyList<string> args, StderrSink stderr) =>
        Create(VmConfiguration.Parse(args, stderr.Report, stderr), stderr);

    /// <summary>Builds a machine from a parsed command line (the caller may open its monitors in between, as QEMU does).</summary>
    public static VirtualMachine Create(VmConfiguration configuration, StderrSink stderr)
    {
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

    /// <summary>
    /// A dry run of <see cref="Create(VmConfiguration, StderrSink)"/>: the same option, placement
    /// and plug checks in the same order, but backends are planned (<see cref="MemoryBackend.Plan"/>)
    /// over what <paramref name="inspector"/> finds instead of being created and mapped, and no guest
    /// memory exists. A backend or -device that QEMU would refuse is recorded in
    /// <see cref="PlanRefusals"/> and the plan goes on with the next one; any other refusal throws.
    /// </summary>
    public static VirtualMachine Plan(VmConfiguration configuration, StderrSink stderr, IBackingStoreInspector inspector)
    {
        ArgumentNullException.ThrowIfNull(inspector);
        var machine = new VirtualMachine(configuration, stderr) { _inspector = inspector };
        try
        {
            machine.BuildBoard();
            machine.CreateCliDevices();
            return machine;
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }

    // Set for a dry run: backends are planned, not allocated; nothing is mapped.
    private IBackingStoreInspector? _inspector;
    private readonly List<PlanRefusal> _planRefusals = [];

    /// <summary>True for a machine built by <see cref="Plan"/>.</summary>
    public bool IsPlan => _inspector is not null;

    /// <summary>What a dry run found QEMU would refuse, per -object or -device, in the order met.</summary>
    public IReadOnlyList<PlanRefusal> PlanRefusals => _planRefusals;

    private void Build()
    {
        BuildBoard();
        if (Options.Nvdimm)
        {
            AttachDsmMailbox();
        }
        CreateCliDevices();
    }

    /// <summary>Creates, validates and allocates one memory backend (-object or object_add).</summary>
    public MemoryBackend AddObject(string location, QemuOpts opts)
    {
        MemoryBackend backend;
        ThrowIfDisposed();
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
        // Setter and allocation errors are reported without the option, as QEMU does.
        AllocateBackend(backend);
        return backend;
    }

    public MemoryBackend? FindBackend(string id)
    {
        lock (_plugLock)
        {
            return _backends.FirstOrDefault(b => b.Id == id);
        }
    }

    /// <summary>
    /// Plugs a memory device: QEMU's pre-plug (machine, slot, region, address), realize (node,
    /// busy memdev) and plug (map, FIT update) steps, in that order.
    /// </summary>
    public void PlugMemoryDevice(MemoryDevice device, bool hotplug)
    {
        lock (_plugLock)
        {
            // qdev_set_id names the device in its QOM container before realize; a failed realize
            // unparents it again, which still shapes the container's hash order.
            device.QomName = _peripherals.Attach(device.Id);
            try
            {
                PlugLocked(device, hotplug);
            }
            catch
            {
                _peripherals.Detach(device.QomName, anonymous: device.Id is null);
                device.QomName = null;
                throw;
            }
        }
        // Issue 7: acpi_nvdimm_plug_cb raises "NVDIMM hotplug" (GPE0 bit 4) and SCI for hot plugs
        // only; outside the plug lock so a guest handler may read _FIT (already marked dirty).
        if (hotplug && device is NvdimmDevice)
        {
            Bus.SetGpe0Status(NvdimmHotplugGpeBit);
        }
    }

    /// <summary>The GPE0 status bit QEMU uses for the NVDIMM hotplug event (ACPI_NVDIMM_HOTPLUG_STATUS).</summary>
    public const int NvdimmHotplugGpeBit = 4;

    /// <summary>object-del: destroys an unused backend, with QEMU's messages.</summary>
    public void RemoveObject(string id)
    {
        MemoryBackend backend;
        lock (_plugLock)
        {
            ThrowIfDisposed();
            backend = _backends.FirstOrDefault(b => b.Id == id) ?? throw new QemuOptionException($"object '{id}' not found");
            if (backend.InUse)
            {
                throw new QemuOptionException($"object '{id}' is in use, can not be deleted");
            }
            _backends.Remove(backend);
        }
        backend.Dispose();
    }

    private void PlugLocked(MemoryDevice device, bool hotplug)
    {
        lock (_plugLock)
        {
            ThrowIfDisposed();
            // pc_memory_pre_plug.
            if (!Options.Acpi)
            {
                throw new QemuOptionException("memory hotplug is not enabled: missing acpi device or acpi disabled");
            }
            if (device is NvdimmDevice && !Options.Nvdimm)
            {
                throw new QemuOptionException("nvdimm is not enabled: missing 'nvdimm' in '-M'");
            }
            int slot = DeviceMemory.AssignSlot(device.Slot);
            device.PrepareMemoryRegion();
            GuestAddress address = DeviceMemory.AssignAddress(
                device.Address.Value == 0 ? null : device.Address.Value, device.Alignment, device.ExposedSize);

            // pc_dimm_realize: the node first, then whether the backend is free.
            if ((NumaNodeCount > 0 && device.Node >= NumaNodeCount) || (NumaNodeCount == 0 && device.Node != 0))
            {
                throw new QemuOptionException(
                    $"'DIMM property node has value {device.Node}' which exceeds the number of numa nodes: {(NumaNodeCount > 0 ? NumaNodeCount : 1)}");
            }
            MemoryBackend backend = device.Backend!;
            if (backend.InUse)
            {
                throw new QemuOptionException($"can't use already busy memdev: {backend.Id}");
            }

            // Map first: a refused region (overlap, backend gone) leaves the device unrealized and
            // the backend free for a later device_add. A plan has no guest memory.
            if (!IsPlan)
            {
                AddressSpace.Add(new GuestMemoryRegion(address, device.ExposedSize, backend, 0, device.Id ?? device.Driver));
            }
            device.Slot = slot;
            device.Address = address;
            device.Hotplugged = hotplug;
            device.IsRealized = true;
            backend.InUse = true;
            DeviceMemory.Add(device);
            Volatile.Write(ref _devices, [.. _devices, device]);
            if (device is NvdimmDevice nvdimm)
            {
                NvdimmPlugged?.Invoke(nvdimm);
            }
        }
    }

    private void ThrowIfDisposed()
    {
        lock (_plugLock)
        {
            if (_disposed)
            {
                throw new QemuOptionException(ShutDownMessage);
            }
        }
    }

    /// <summary>
    /// Final and idempotent, under the plug lock (a plug in progress finishes first; later ones
    /// are refused). Guest memory answers "not mapped" from here on; each backend is unmapped
    /// once the accesses still copying through it are done.
    /// </summary>
    public void Dispose()
    {
        lock (_plugLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            AddressSpace.Dispose();
            for (int i = _backends.Count - 1; i >= 0; i--)
            {
                _backends[i].Dispose();
            }
            _backends.Clear();
        }
    }
}
