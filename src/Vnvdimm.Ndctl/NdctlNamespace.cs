using Vnvdimm.Formats.InfoBlocks;

namespace Vnvdimm.Ndctl;

/// <summary>
/// A namespace as the kernel instantiates it and ndctl lists it (research §2.9, §3.4, §4).
/// <see cref="Dpa"/> and <see cref="Capacity"/> are the label extent (the whole region for a
/// label-less one); <see cref="Size"/> is what ndctl prints, after the personality's metadata.
/// </summary>
public sealed record NdctlNamespace
{
    public required string Device { get; init; }
    public NamespaceMode Mode { get; init; }
    public ulong Dpa { get; init; }
    public ulong Capacity { get; init; }
    public ulong Size { get; init; }

    /// <summary>Label uuid; null for a label-less (io) namespace.</summary>
    public Guid? RawUuid { get; init; }

    /// <summary>Personality (pfn/dax/btt) uuid when one is attached.</summary>
    public Guid? PersonalityUuid { get; init; }

    public string Name { get; init; } = "";

    /// <summary>Logical block size; null for devdax, which has none.</summary>
    public uint? SectorSize { get; init; }

    /// <summary>Mapping alignment of an fsdax/devdax info block, else 0.</summary>
    public ulong Align { get; init; }

    public PfnMapLocation Map { get; init; }
    public string? BlockDevice { get; init; }
    public string? CharDevice { get; init; }

    /// <summary>False for the zero-size seed namespace the kernel offers for creation.</summary>
    public bool IsActive { get; init; } = true;

    public bool IsLabelled => RawUuid is not null;

    /// <summary>What the kernel's enable state follows across renumbering: the label uuid, else the device name.</summary>
    public string BindingKey => RawUuid is Guid uuid && uuid != Guid.Empty ? uuid.ToString() : Device;

    /// <summary>
    /// The namespace as Linux shows it while disabled: no personality is attached, so it lists as raw
    /// with its label's capacity and uuid (Linux 6.1 + ndctl 76, an fsdax namespace after disable-namespace).
    /// </summary>
    public NdctlNamespace AsDisabled() => this with
    {
        Mode = NamespaceMode.Raw,
        Size = Capacity,
        PersonalityUuid = null,
        Align = 0,
        Map = default,
        CharDevice = null,
        BlockDevice = null,
        SectorSize = RawSectorSize,
        IsActive = false,
    };

    /// <summary>The label's logical block size, before a personality (btt) replaces it.</summary>
    public uint? RawSectorSize { get; init; } = 512;
}
