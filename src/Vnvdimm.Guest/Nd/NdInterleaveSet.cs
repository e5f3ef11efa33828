namespace Vnvdimm.Guest.Nd;

/// <summary>
/// A pmem region's interleave-set cookies (what namespace labels carry as isetcookie): v1.1 labels
/// use <see cref="Cookie1"/> (or <see cref="AltCookie"/>, a historic sort-order bug), v1.2 labels <see cref="Cookie2"/>.
/// </summary>
public sealed record NdInterleaveSet(ulong Cookie1, ulong Cookie2, ulong AltCookie);
