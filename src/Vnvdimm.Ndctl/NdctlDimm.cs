namespace Vnvdimm.Ndctl;

/// <summary>A DIMM as the label commands see it: its name (nmemN), label area, and whether a region using it is enabled.</summary>
public sealed record NdctlDimm(string Name, ILabelStore Labels, bool IsActive = false);
