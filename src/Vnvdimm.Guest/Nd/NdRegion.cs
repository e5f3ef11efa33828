namespace Vnvdimm.Guest.Nd;

/// <summary>A region (regionN): one SPA range of the NFIT with its DIMM mappings and namespaces.</summary>
public sealed class NdRegion
{
    /// <summary>Linux's MEMREMAP_COMPAT_ALIGN_MAX: the default region alignment.</summary>
    public const ulong CompatAlignment = 16 << 20;

    private const ulong PageSize = 4096;

    private readonly List<NdNamespace> _namespaces = [];

    internal NdRegion(NvdimmBus bus, int id, NdRegionDescriptor descriptor)
    {
        Bus = bus;
        Id = id;
        Type = descriptor.Type;
        Start = descriptor.Start;
        Size = descriptor.Size;
        Mappings = descriptor.Mappings;
        PersistenceDomain = descriptor.PersistenceDomain;
        NumaNode = descriptor.NumaNode;
        TargetNode = descriptor.TargetNode;
        InterleaveSet = descriptor.InterleaveSet;
        RangeIndex = descriptor.RangeIndex;
        // nd_region_create: one unarmed DIMM makes the whole region read-only.
        IsReadOnly = Mappings.Any(m => m.Dimm.IsUnarmed);
        Alignment = DefaultAlignment(Size, Mappings.Count);
    }

    public NvdimmBus Bus { get; }

    public int Id { get; }

    public string Name => $"region{Id}";

    public NdRegionType Type { get; }

    /// <summary>Guest-physical start of the SPA range.</summary>
    public ulong Start { get; }

    public ulong Size { get; }

    /// <summary>The NFIT SPA range index the region came from.</summary>
    public ushort RangeIndex { get; }

    public IReadOnlyList<NdMapping> Mappings { get; }

    public bool IsReadOnly { get; }

    public NdPersistenceDomain PersistenceDomain { get; }

    public int NumaNode { get; }

    public int TargetNode { get; }

    /// <summary>Only pmem regions have one.</summary>
    public NdInterleaveSet? InterleaveSet { get; }

    /// <summary>The region's "align" attribute.</summary>
    public ulong Alignment { get; }

    /// <summary>Labelled (namespaces come from labels) when one of its DIMMs has a valid label index.</summary>
    public bool IsLabelled { get; internal set; }

    public bool IsEnabled { get; internal set; }

    public IReadOnlyList<NdNamespace> Namespaces => _namespaces;

    internal void AddNamespace(NdNamespace ns) => _namespaces.Add(ns);

    /// <summary>Namespaces whose driver ndctl unbound (disable-namespace), by label uuid or device name.</summary>
    internal HashSet<string> DisabledNamespaces { get; } = new(StringComparer.Ordinal);

    /// <summary>The region driver let go: its namespaces are unregistered and come back enabled at the next probe.</summary>
    internal void ClearNamespaces()
    {
        _namespaces.Clear();
        DisabledNamespaces.Clear();
        DeviceIds.Reset();
    }

    /// <summary>The device ids its labelled namespaces have had since the region's probe.</summary>
    internal Vnvdimm.Ndctl.NamespaceDeviceIds DeviceIds { get; } = new();

    /// <summary>Whether the namespace with this key (label uuid, else device name) has its driver bound.</summary>
    public bool IsNamespaceEnabled(string key) => IsEnabled && !DisabledNamespaces.Contains(key);

    // region_devs.c default_align: 16 MiB unless the region is smaller, times the ways when they do not divide it.
    private static ulong DefaultAlignment(ulong size, int mappings)
    {
        ulong align = size < CompatAlignment ? PageSize : CompatAlignment;
        ulong ways = (ulong)Math.Max(1, mappings);
        return align % ways != 0 ? align * ways : align;
    }

    public override string ToString() => Name;
}
