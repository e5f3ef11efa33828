namespace Vnvdimm.Ndctl;

/// <summary>
/// A bus as <c>ndctl list</c> walks it: its DIMMs and regions in the order ndctl lists them. The
/// guest fills one per nvdimm bus from its Nd layer; an offline image is one bus with one region per DIMM.
/// </summary>
public sealed record NdctlListBus(int Id, string Provider, string Device)
{
    public IReadOnlyList<NdctlListDimm> Dimms { get; init; } = [];

    public IReadOnlyList<NdctlListRegion> Regions { get; init; } = [];
}
