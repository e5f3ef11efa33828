namespace Vnvdimm.Ndctl;

/// <summary>One mapping of a region onto a DIMM; a null <see cref="Position"/> is left out of the JSON.</summary>
public sealed record NdctlListMapping(NdctlListDimm Dimm, ulong Offset, ulong Length, int? Position);
