namespace Vnvdimm.Guest.Nd;

/// <summary>A namespace: namespaceR.N in region R, with its block device when a driver claimed it.</summary>
public sealed class NdNamespace
{
    internal NdNamespace(NdRegion region, int id, bool labelled, ulong size)
    {
        Region = region;
        Id = id;
        IsLabelled = labelled;
        Size = size;
    }

    public NdRegion Region { get; }

    public int Id { get; }

    public string Name => $"namespace{Region.Id}.{Id}";

    /// <summary>False for the label-less "io" namespace that spans a whole region.</summary>
    public bool IsLabelled { get; }

    public NdNamespaceMode Mode { get; internal set; } = NdNamespaceMode.Raw;

    public ulong Size { get; internal set; }

    /// <summary>Logical block size; null when the namespace has none of its own (label-less: ndctl shows 512).</summary>
    public uint? SectorSize { get; internal set; }

    /// <summary>Label uuid of a labelled namespace.</summary>
    public Guid? Uuid { get; internal set; }

    public string? AltName { get; internal set; }

    /// <summary>pmemN (pmemN.M for labelled namespaces after the first) while the pmem driver holds it.</summary>
    public string? BlockDevice { get; internal set; }

    public bool IsActive => BlockDevice is not null;
}
