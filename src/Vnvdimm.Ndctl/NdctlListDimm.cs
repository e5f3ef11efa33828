namespace Vnvdimm.Ndctl;

/// <summary>A DIMM as <c>ndctl list</c> prints it (util_dimm_to_json): nmemN, its id, NFIT handle and flags.</summary>
public sealed record NdctlListDimm(int Id, string Device, uint Handle, ushort PhysId)
{
    /// <summary>The "id" ndctl prints; null leaves it out.</summary>
    public string? UniqueId { get; init; }

    public bool IsEnabled { get; init; } = true;

    /// <summary>ndctl's DIMM flags that are set, in its order ("flag_failed_arm", …).</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
}
