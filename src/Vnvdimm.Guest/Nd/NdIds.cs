namespace Vnvdimm.Guest.Nd;

/// <summary>The kernel-wide id allocators (nd_ida, dimm_ida, memregion_ids): lowest free id, never released here.</summary>
internal sealed class NdIds
{
    private int _bus;
    private int _dimm;
    private int _region;

    public int NextBus() => _bus++;

    public int NextDimm() => _dimm++;

    public int NextRegion() => _region++;
}
