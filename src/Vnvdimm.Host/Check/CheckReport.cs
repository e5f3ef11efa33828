using Vnvdimm.Host.Backends;

namespace Vnvdimm.Host.Check;

/// <summary>The verdict on one memory device's data (and, as the worst of them, on a command line).</summary>
public enum PersistenceVerdict
{
    /// <summary>A pc-dimm: guest RAM, never meant to persist; not counted in the exit status.</summary>
    Volatile,
    Persistent,
    NotGuaranteed,
    /// <summary>QEMU would refuse the configuration (the message is QEMU's).</summary>
    Refused,
}

/// <summary>What the last label-size bytes of an existing backend hold.</summary>
public enum LabelAreaState
{
    /// <summary>No label area (label-size 0), or no existing data (new file, anonymous memory).</summary>
    None,
    Zeros,
    /// <summary>A valid namespace index: a label set, its namespaces listed.</summary>
    Labels,
    /// <summary>Neither zeros nor a valid index block: the label area overlays existing data.</summary>
    ForeignData,
    /// <summary>Could not be read (device-dax, unreadable, or shorter than the size option).</summary>
    Unread,
}

/// <summary>A namespace found in an existing label set, as ndctl list -N names it (uuid: the personality's for fsdax/devdax/sector, as ndctl shows).</summary>
public sealed record CheckedNamespace(string Device, string Mode, ulong Size, Guid? Uuid, string Name);

/// <summary>The backend behind a memory device, and what its mem-path is on the host.</summary>
public sealed record BackendReport
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string? MemPath { get; init; }
    public ulong Size { get; init; }
    public bool Share { get; init; }
    public bool Pmem { get; init; }
    public bool ReadOnly { get; init; }
    /// <summary>The align property (0: the page size).</summary>
    public ulong Align { get; init; }
    /// <summary>The mem-path on the host; null for anonymous memory.</summary>
    public BackingStore? Store { get; init; }
}

/// <summary>One -device nvdimm or pc-dimm.</summary>
public sealed record DeviceReport
{
    /// <summary>The option as written ("-device nvdimm,id=nv1,memdev=m1").</summary>
    public required string Option { get; init; }
    public required string Driver { get; init; }
    public string? Id { get; init; }
    public BackendReport? Backend { get; init; }
    public int? Slot { get; init; }
    public uint Node { get; init; }
    public ulong? Address { get; init; }
    /// <summary>What the guest maps: align_down(size − label-size, alignment) for an nvdimm.</summary>
    public ulong? PmemSize { get; init; }
    public ulong LabelSize { get; init; }
    /// <summary>Offset of the label area in the backend (size − label-size).</summary>
    public ulong? LabelOffset { get; init; }
    public bool Unarmed { get; init; }
    public required PersistenceVerdict Verdict { get; init; }
    /// <summary>Why persistence is not guaranteed: one sentence per unmet condition, naming the option to change.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];
    /// <summary>QEMU's message when refused.</summary>
    public string? Refusal { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>What the guest will see.</summary>
    public string? GuestView { get; init; }
    public LabelAreaState LabelArea { get; init; }
    public IReadOnlyList<CheckedNamespace> Namespaces { get; init; } = [];
}

/// <summary>
/// The machine's memory-device budget, for hotplug: slots, and maxmem − RAM (what QEMU's "not
/// enough space" check counts against, in exposed sizes), beside the device-memory region.
/// </summary>
public sealed record HotplugHeadroom(string MachineType, ulong RamSize, ulong Slots, ulong SlotsUsed, ulong MaxMem, ulong DeviceMemoryBase, ulong DeviceMemorySize, ulong DeviceMemoryUsed)
{
    public ulong SlotsFree => Slots - Math.Min(SlotsUsed, Slots);
    public ulong DeviceMemoryBudget => MaxMem - Math.Min(RamSize, MaxMem);
    public ulong DeviceMemoryFree => DeviceMemoryBudget - Math.Min(DeviceMemoryUsed, DeviceMemoryBudget);
}

/// <summary>Everything `vnvdimm check` found about a command line.</summary>
public sealed record CheckReport
{
    public IReadOnlyList<DeviceReport> Devices { get; init; } = [];
    /// <summary>Options not modelled, noted and skipped.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
    /// <summary>Machine-wide warnings (and QEMU's own warnings while parsing).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The first error QEMU would print and exit with, or null.</summary>
    public string? QemuError { get; init; }
    public HotplugHeadroom? Headroom { get; init; }
    /// <summary>cpu, mem-ctrl, or null when the option is not set.</summary>
    public string? NvdimmPersistence { get; init; }

    /// <summary>The worst device verdict (refused over not guaranteed over persistent); refused when QEMU would not start.</summary>
    public PersistenceVerdict Verdict =>
        QemuError is not null || Devices.Any(d => d.Verdict == PersistenceVerdict.Refused) ? PersistenceVerdict.Refused
        : Devices.Any(d => d.Verdict == PersistenceVerdict.NotGuaranteed) ? PersistenceVerdict.NotGuaranteed
        : PersistenceVerdict.Persistent;

    /// <summary>0 all persistent, 1 refused, 2 some not guaranteed.</summary>
    public int ExitStatus => Verdict switch
    {
        PersistenceVerdict.Refused => 1,
        PersistenceVerdict.NotGuaranteed => 2,
        _ => 0,
    };
}
