namespace Vnvdimm.Ndctl;

/// <summary>
/// A DIMM as ndctl sees it: its name (nmemN), label area, whether a region using it is enabled, its
/// media (defaults to the label store when that also reaches the media, as an image does) and NFIT
/// identity (defaults to QEMU slot 0).
/// </summary>
public sealed record NdctlDimm(string Name, ILabelStore Labels, bool IsActive = false)
{
    public IDimmMedia? Media { get; init; } = Labels as IDimmMedia;

    public NdctlDimmIdentity Identity { get; init; } = NdctlDimmIdentity.QemuSlot(0);
}
