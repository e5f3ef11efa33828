using System.Buffers;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Interop;
using Vnvdimm.Host.Machine;

namespace Vnvdimm.Host.Check;

/// <summary>
/// `vnvdimm check`: answers the seed's open question (Guest Data Persistence: "no way is provided
/// to test for them") before the guest runs. The command line goes through the machine's own
/// parser and a dry run of its build (<see cref="VirtualMachine.Plan"/>), so placement, label
/// carving and refusals are the machine's; then each memory device's backend is judged against
/// every condition of the seed's persistence paragraph. Nothing is created, sized or written.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>Linux's memory block size on x86_64: hot-added memory is onlined in these units.</summary>
    public const ulong MemoryBlockSize = 128UL << 20;

    /// <summary>
    /// Reads the namespaces of a valid label set: (backend path, the DIMM's slot, pmem size,
    /// label-area bytes) → namespaces. Supplied by the caller (the ndctl model lives above Host).
    /// </summary>
    public delegate IReadOnlyList<CheckedNamespace> NamespaceReader(string path, int slot, ulong pmemSize, byte[] labelArea);

    public static CheckReport Run(IReadOnlyList<string> args, IBackingStoreInspector inspector, NamespaceReader? readNamespaces = null)
    {
        (IReadOnlyList<string> modelled, IReadOnlyList<string> skipped) = CheckArguments.Filter(args);
        var warnings = new List<string>();
        var stderr = new StderrSink(warnings.Add, warnings.Add);
        var cached = new CachingInspector(inspector);
        VmConfiguration configuration;
        VirtualMachine machine;
        try
        {
            configuration = VmConfiguration.Parse(modelled, warnings.Add, stderr);
            machine = VirtualMachine.Plan(configuration, stderr, cached);
        }
        catch (QemuOptionException e)
        {
            return new CheckReport { Skipped = skipped, Warnings = warnings, QemuError = e.Formatted };
        }
        using (machine)
        {
            return Analyse(machine, configuration, cached, readNamespaces, skipped, warnings);
        }
    }

    private static CheckReport Analyse(VirtualMachine machine, VmConfiguration configuration, IBackingStoreInspector inspector,
        NamespaceReader? readNamespaces, IReadOnlyList<string> skipped, List<string> warnings)
    {
        string? persistence = machine.Options.NvdimmPersistence switch
        {
            NvdimmPersistence.Cpu => "cpu",
            NvdimmPersistence.MemCtrl => "mem-ctrl",
            _ => null,
        };
        // VmOption is a record: the same text twice is two options, so look them up by reference.
        var refusals = new Dictionary<VmOption, PlanRefusal>(ReferenceEqualityComparer.Instance);
        foreach (PlanRefusal refusal in machine.PlanRefusals)
        {
            refusals.TryAdd(refusal.Option, refusal);
        }
        var backendRefusals = machine.PlanRefusals.Where(r => r.BackendId is not null).ToDictionary(r => r.BackendId!, r => r.Error);
        var backends = configuration.Objects.ToDictionary(o => o.Backend.Id, o => o.Backend);

        // Devices in creation order (key=value ones, then JSON ones, as QEMU); the realized ones
        // come out of the plan in the same order.
        var options = configuration.Devices.Select(d => (d.Option, Memdev: d.Opts.Get("memdev"), Driver: d.Opts.Get("driver"), Id: d.Opts.Get("id")))
            .Concat(configuration.JsonDevices.Select(d => (d.Option, Memdev: d.Json.TryGetString("memdev"), Driver: d.Json.TryGetString("driver"), Id: d.Json.TryGetString("id"))));
        using IEnumerator<MemoryDevice> realized = machine.MemoryDevices.GetEnumerator();
        var devices = new List<DeviceReport>();
        foreach ((VmOption option, string? memdev, string? driver, string? id) in options)
        {
            MemoryBackend? backend = memdev is not null && backends.TryGetValue(LastPathComponent(memdev), out MemoryBackend? found) ? found : null;
            if (refusals.TryGetValue(option, out PlanRefusal? refusal))
            {
                // QEMU stops at a backend it cannot allocate, before any device.
                QemuOptionException error = backend is not null && backendRefusals.TryGetValue(backend.Id, out QemuOptionException? backendError) ? backendError : refusal.Error;
                BackendReport? refusedBackend = backend is null ? null : DescribeBackend(backend, inspector);
                devices.Add(new DeviceReport
                {
                    Option = option.Location,
                    Driver = driver ?? "?",
                    Id = id,
                    Backend = refusedBackend,
                    Verdict = PersistenceVerdict.Refused,
                    Refusal = error.Formatted,
                    Reasons = refusedBackend is null ? [] : DeviceDaxMappingReasons(refusedBackend),
                });
                continue;
            }
            realized.MoveNext();
            devices.Add(Judge(option, realized.Current, machine, inspector, readNamespaces, persistence));
        }

        DeviceMemoryRegion region = machine.DeviceMemory;
        var headroom = new HotplugHeadroom(configuration.Machine.QomTypeName, machine.Layout.RamSize, region.Slots, (ulong)region.Devices.Count,
            machine.Layout.MaxMem, region.Base, region.Size, region.UsedSize);
        if (region.Slots > 0 && headroom.SlotsFree == 0)
        {
            warnings.Add($"no memory slot is left for hotplug: all {region.Slots} are used; raise -m slots= to hot-add NVDIMMs later");
        }
        else if (region.Slots > 0 && headroom.DeviceMemoryFree < MemoryBlockSize)
        {
            warnings.Add($"maxmem leaves 0x{headroom.DeviceMemoryFree:x} bytes for hotplug, less than one 128 MiB memory block; raise -m maxmem= to hot-add NVDIMMs later");
        }
        string? firstError = machine.PlanRefusals.Count > 0 ? machine.PlanRefusals[0].Error.Formatted : null;
        return new CheckReport
        {
            Devices = devices,
            Skipped = skipped,
            Warnings = warnings,
            QemuError = firstError,
            Headroom = headroom,
            NvdimmPersistence = persistence,
        };
    }

    // A memdev link may be an id or a path ending in it (/objects/ID).
    private static string LastPathComponent(string memdev) => memdev.Split('/', StringSplitOptions.RemoveEmptyEntries) is [.., string last] ? last : memdev;

    private static BackendReport DescribeBackend(MemoryBackend backend, IBackingStoreInspector inspector) => backend switch
    {
        FileMemoryBackend file => new BackendReport
        {
            Id = file.Id, Type = file.TypeName, MemPath = file.MemPath, Size = file.Size, Share = file.Share,
            Pmem = file.Pmem, ReadOnly = file.ReadOnly, Align = file.Align, Store = inspector.Inspect(file.MemPath),
        },
        _ => new BackendReport { Id = backend.Id, Type = backend.TypeName, Size = backend.Size, Share = backend.Share },
    };

    private static DeviceReport Judge(VmOption option, MemoryDevice device, VirtualMachine machine, IBackingStoreInspector inspector,
        NamespaceReader? readNamespaces, string? persistence)
    {
        MemoryBackend backend = device.Backend!;
        BackendReport backendReport = DescribeBackend(backend, inspector);
        var warnings = new List<string>();
        if (device.ExposedSize % MemoryBlockSize != 0)
        {
            warnings.Add($"size 0x{device.ExposedSize:x} is not a multiple of 128 MiB: memory hot-added after it lands unaligned and Linux cannot online it; use a multiple of 128 MiB{(device is NvdimmDevice { LabelSize: > 0 } ? " (plus label-size)" : string.Empty)}");
        }
        if (device is not NvdimmDevice nvdimm)
        {
            return new DeviceReport
            {
                Option = option.Location, Driver = device.Driver, Id = device.Id, Backend = backendReport, Slot = device.Slot,
                Node = device.Node, Address = device.Address.Value, PmemSize = device.ExposedSize, Verdict = PersistenceVerdict.Volatile,
                Warnings = warnings, GuestView = $"0x{device.ExposedSize:x} bytes of hot-pluggable RAM on node {device.Node}",
            };
        }

        List<string> reasons = PersistenceReasons(backendReport);
        bool persistent = reasons.Count == 0;
        if (backendReport.ReadOnly)
        {
            warnings.Add("readonly=on: the guest's writes are discarded, never stored");
        }
        if (backendReport.ReadOnly && backend.Prealloc)
        {
            // Seen with Debian's 7.2: it writes to the read-only mapping to preallocate it.
            warnings.Add($"prealloc=on with readonly=on: qemu-system-x86_64 7.2 dies of a segmentation fault preallocating the read-only mapping; drop prealloc=on from -object {backend.Id}");
        }
        if (!persistent && !nvdimm.Unarmed && !backendReport.ReadOnly)
        {
            warnings.Add("the seed advises unarmed=on for a backend that cannot guarantee persistence: Linux then makes the region read-only");
        }
        if (!persistent && persistence is not null)
        {
            warnings.Add($"nvdimm-persistence={persistence} tells the guest its writes survive power loss, but this backend does not guarantee it");
        }

        (LabelAreaState labelState, IReadOnlyList<CheckedNamespace> namespaces) = InspectLabelArea(nvdimm, backendReport, inspector, readNamespaces, warnings);
        string domain = persistence switch { "cpu" => "cpu_cache", "mem-ctrl" => "memory_controller", _ => "unknown" };
        string access = nvdimm.Unarmed || nvdimm.IsReadOnly ? "read-only (not armed)" : "read-write";
        string labels = nvdimm.LabelSize > 0 ? $"a 0x{nvdimm.LabelSize:x}-byte label area (namespaces by labels)" : "no label area (one label-less namespace)";
        return new DeviceReport
        {
            Option = option.Location,
            Driver = device.Driver,
            Id = device.Id,
            Backend = backendReport,
            Slot = device.Slot,
            Node = device.Node,
            Address = device.Address.Value,
            PmemSize = device.ExposedSize,
            LabelSize = nvdimm.LabelSize,
            LabelOffset = nvdimm.LabelSize > 0 ? nvdimm.LabelAreaOffset : null,
            Unarmed = nvdimm.Unarmed,
            Verdict = persistent ? PersistenceVerdict.Persistent : PersistenceVerdict.NotGuaranteed,
            Reasons = reasons,
            Warnings = warnings,
            GuestView = $"nmem{device.Slot}: 0x{device.ExposedSize:x} bytes of pmem at 0x{device.Address.Value:x}, {access}, {labels}, persistence_domain {domain}",
            LabelArea = labelState,
            Namespaces = namespaces,
        };
    }

    /// <summary>
    /// One reason per condition of the seed's Guest Data Persistence paragraph that is not met
    /// (share, pmem, DAX, MAP_SYNC), plus the backends it names as not persistent at all.
    /// </summary>
    public static List<string> PersistenceReasons(BackendReport backend)
    {
        var reasons = new List<string>();
        if (backend.Store is not { } store)
        {
            reasons.Add($"{backend.Type} '{backend.Id}' is anonymous host memory: the data is gone when QEMU exits; use memory-backend-file with mem-path on a DAX filesystem or a device-dax /dev/daxX.Y");
            return reasons;
        }
        string path = backend.MemPath!;
        if (store.Kind == BackingStoreKind.DaxDevice)
        {
            // Seed, case A: a DAX device needs nothing more (a private mapping is refused by QEMU's mmap).
            return reasons;
        }
        string fs = store.FileSystem;
        // rootfs is the initramfs: always ramfs or tmpfs.
        bool ramFs = fs is "tmpfs" or "ramfs" or "hugetlbfs" or "rootfs";
        if (ramFs)
        {
            reasons.Add($"mem-path {path} is on {fs} ({store.MountPoint ?? "?"}), which is host RAM: the data is gone at host reboot; put mem-path on a filesystem mounted with -o dax, or use a device-dax /dev/daxX.Y");
        }
        if (store.Kind == BackingStoreKind.Directory)
        {
            reasons.Add($"mem-path {path} is a folder: QEMU backs the NVDIMM with an unlinked temporary file that is deleted when QEMU exits; give mem-path a file name");
        }
        if (!backend.Share)
        {
            reasons.Add($"share=off: guest writes go to a private copy (MAP_PRIVATE) and never reach {path}; set share=on on -object {backend.Id}");
        }
        if (!backend.Pmem)
        {
            reasons.Add($"pmem=off: QEMU maps {path} without MAP_SYNC, so writes the guest considers durable may still be in the host page cache at a crash; set pmem=on on -object {backend.Id}");
        }
        bool dax = store.DaxMount || store.MapSync == MapSyncProbe.Works;
        if (!dax && !ramFs)
        {
            string where = store.MountPoint is null ? fs : $"{fs} ({store.MountPoint})";
            reasons.Add($"mem-path {path} is on {where}, not mounted with the dax option: the file does not support DAX; put it on a filesystem mounted with -o dax (on an fsdax namespace), or use a device-dax /dev/daxX.Y");
        }
        if (dax && store.MapSync == MapSyncProbe.Fails)
        {
            reasons.Add($"MAP_SYNC is not supported for {path} (mmap: {Libc.StrError(store.MapSyncErrno)}): the host kernel (Linux 4.15 or later) or the filesystem lacks it, and QEMU then falls back silently; use a kernel and filesystem with MAP_SYNC, or a device-dax /dev/daxX.Y");
        }
        if (dax && store.MapSync == MapSyncProbe.NotProbed)
        {
            reasons.Add(store.Kind is BackingStoreKind.Missing or BackingStoreKind.Directory
                ? $"mem-path {path} does not exist yet (QEMU would create it on {fs}), so MAP_SYNC cannot be probed; create it (e.g. fallocate -l {backend.Size} {path}) and run check again"
                : $"MAP_SYNC could not be probed on {path}: it cannot be opened read-write ({Libc.StrError(store.WriteOpenErrno)}); QEMU needs it read-write for share=on,pmem=on");
        }
        return reasons;
    }

    /// <summary>
    /// Why a device-dax mapping fails: QEMU only says "unable to map backing store for guest RAM:
    /// Invalid argument", for a private mapping and for one not on the device's alignment alike.
    /// </summary>
    public static List<string> DeviceDaxMappingReasons(BackendReport backend)
    {
        var reasons = new List<string>();
        if (backend.Store is not { Kind: BackingStoreKind.DaxDevice } store)
        {
            return reasons;
        }
        if (!backend.Share)
        {
            reasons.Add($"share=off: device-dax {backend.MemPath} cannot be mapped private (MAP_PRIVATE), so the kernel refuses QEMU's mapping; set share=on on -object {backend.Id}");
        }
        ulong mapping = Math.Max(backend.Align, store.PageSize);
        if (store.DaxAlign > 0 && (ulong)store.DaxAlign > mapping)
        {
            string given = backend.Align == 0 ? $"the page size, 0x{mapping:x}, when align is not set" : $"align=0x{backend.Align:x}";
            reasons.Add($"device-dax {backend.MemPath} can only be mapped at its region's alignment, 0x{store.DaxAlign:x}, but QEMU aligns its mapping to {given}: the kernel refuses it unless the address QEMU gets happens to fall on that boundary, so QEMU starts or fails from run to run (vnvdimm always refuses); set align={OptionSize(store.DaxAlign)} on -object {backend.Id}");
        }
        return reasons;
    }

    private static string OptionSize(long bytes) => bytes switch
    {
        _ when bytes % (1L << 30) == 0 => $"{bytes >> 30}G",
        _ when bytes % (1L << 20) == 0 => $"{bytes >> 20}M",
        _ when bytes % (1L << 10) == 0 => $"{bytes >> 10}K",
        _ => bytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // Seed, Label note 2: labels live in the last label-size bytes; old data there is lost to the guest.
    private static (LabelAreaState, IReadOnlyList<CheckedNamespace>) InspectLabelArea(NvdimmDevice nvdimm, BackendReport backend,
        IBackingStoreInspector inspector, NamespaceReader? readNamespaces, List<string> warnings)
    {
        if (backend.Store is not { } store)
        {
            return (LabelAreaState.None, []);
        }
        if (nvdimm.LabelSize == 0)
        {
            // QEMU's default: no label area, one label-less namespace whose mode its info block says.
            return (LabelAreaState.None, store is { Kind: BackingStoreKind.File, Size: > 0 }
                ? readNamespaces?.Invoke(backend.MemPath!, nvdimm.Slot, nvdimm.ExposedSize, []) ?? []
                : []);
        }
        if (store.Kind is BackingStoreKind.Missing or BackingStoreKind.Directory || (store.Kind == BackingStoreKind.File && store.Size == 0))
        {
            return (LabelAreaState.None, []);
        }
        ulong offset = nvdimm.LabelAreaOffset;
        if (store.Kind != BackingStoreKind.File || nvdimm.LabelSize > MaxLabelAreaRead)
        {
            return (LabelAreaState.Unread, []);
        }
        byte[] area = ArrayPool<byte>.Shared.Rent((int)nvdimm.LabelSize);
        try
        {
            Span<byte> bytes = area.AsSpan(0, (int)nvdimm.LabelSize);
            if (!inspector.TryReadRange(backend.MemPath!, offset, bytes))
            {
                return (LabelAreaState.Unread, []);
            }
            if (bytes.IndexOfAnyExcept((byte)0) < 0)
            {
                return (LabelAreaState.Zeros, []);
            }
            if (LabelArea.TryRead(bytes, out _, out _))
            {
                return (LabelAreaState.Labels, readNamespaces?.Invoke(backend.MemPath!, nvdimm.Slot, nvdimm.ExposedSize, bytes.ToArray()) ?? []);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(area);
        }
        ulong last = offset + nvdimm.LabelSize - 1;
        warnings.Add($"the label area overlays existing data: bytes 0x{offset:x}-0x{last:x} of {backend.MemPath} hold neither zeros nor a namespace index block; the guest cannot reach that data, and anything stored there (e.g. file system metadata) is lost to it");
        return (LabelAreaState.ForeignData, []);
    }

    // Label areas are small (128 KiB is the minimum, Linux uses up to 128 KiB of them); a larger
    // label-size is not read whole.
    private const ulong MaxLabelAreaRead = 64UL << 20;

    // The plan and the report inspect each path once.
    private sealed class CachingInspector(IBackingStoreInspector inner) : IBackingStoreInspector
    {
        private readonly Dictionary<string, BackingStore> _stores = new(StringComparer.Ordinal);

        public BackingStore Inspect(string path)
        {
            if (!_stores.TryGetValue(path, out BackingStore? store))
            {
                store = inner.Inspect(path);
                _stores[path] = store;
            }
            return store;
        }

        public bool TryReadRange(string path, ulong offset, Span<byte> destination) => inner.TryReadRange(path, offset, destination);
    }
}
