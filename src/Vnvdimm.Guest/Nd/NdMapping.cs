namespace Vnvdimm.Guest.Nd;

/// <summary>One DIMM's part of a region: its DPA range and its position in the interleave set.</summary>
public sealed record NdMapping(Nvdimm Dimm, ulong Start, ulong Size, int Position);
