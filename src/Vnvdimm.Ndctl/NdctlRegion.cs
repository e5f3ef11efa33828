namespace Vnvdimm.Ndctl;

/// <summary>
/// A pmem region over one DIMM (QEMU: one region per NVDIMM, mapping at DPA 0) with the namespaces
/// the kernel found in it. <see cref="InterleaveSetCookie"/> is ndctl's iset_id, present only when the
/// DIMM has a valid label index. A region whose probe failed is disabled and lists no namespaces.
/// </summary>
public sealed record NdctlRegion
{
    public required string Device { get; init; }
    public required NdctlDimm Dimm { get; init; }
    public ulong Size { get; init; }
    public ulong Align { get; init; }
    public ulong AvailableSize { get; init; }
    public ulong MaxAvailableExtent { get; init; }
    public ulong? InterleaveSetCookie { get; init; }
    public ulong MappingOffset { get; init; }
    public ulong MappingLength { get; init; }
    public int MappingPosition { get; init; }
    public bool IsEnabled { get; init; } = true;
    public string PersistenceDomain { get; init; } = "unknown";
    public IReadOnlyList<NdctlNamespace> Namespaces { get; init; } = [];

    /// <summary>Kernel messages of the scan (skipped labels, probe failures).</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];
}
