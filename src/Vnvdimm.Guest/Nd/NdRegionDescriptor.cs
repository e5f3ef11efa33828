namespace Vnvdimm.Guest.Nd;

/// <summary>What a bus provider asks libnvdimm to create a region from (struct nd_region_desc).</summary>
public sealed record NdRegionDescriptor(
    NdRegionType Type,
    ushort RangeIndex,
    ulong Start,
    ulong Size,
    IReadOnlyList<NdMapping> Mappings,
    NdPersistenceDomain PersistenceDomain,
    int NumaNode,
    int TargetNode,
    NdInterleaveSet? InterleaveSet);
