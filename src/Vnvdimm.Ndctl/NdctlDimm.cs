namespace Vnvdimm.Ndctl;

/// <summary>
/// A DIMM as ndctl sees it: its name (nmemN), label area, whether a region using it is enabled, its
/// media (defaults to the label store when that also reaches the media, as an image does) and NFIT
/// identity (defaults to QEMU slot 0), and
/// what a live platform says about the region over it (id, persistence domain).
/// </summary>
public sealed record NdctlDimm(string Name, ILabelStore Labels, bool IsActive = false)
{
    public IDimmMedia? Media { get; init; } = Labels as IDimmMedia;

    public NdctlDimmIdentity Identity { get; init; } = NdctlDimmIdentity.QemuSlot(0);

    /// <summary>The id of the region the DIMM's media forms (regionN); null numbers regions in list order.</summary>
    public int? RegionId { get; init; }

    /// <summary>The region's persistence_domain as ndctl prints it ("cpu_cache", "memory_controller", "unknown").</summary>
    public string PersistenceDomain { get; init; } = "unknown";

    /// <summary>The kernel's driver state for this DIMM and its region; null offline (no kernel).</summary>
    public IKernelBindings? Bindings { get; init; }
}
