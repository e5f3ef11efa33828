using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Guest.Nd;

namespace Vnvdimm.Guest.Nfit;

/// <summary>An SPA range structure the driver holds (struct nfit_spa), and the region made from it.</summary>
internal sealed class NfitSpa(byte[] raw, NfitSpaRange range)
{
    public byte[] Raw { get; } = raw;

    public NfitSpaRange Range { get; } = range;

    public NfitSpaType Type { get; } = NfitSpaTypes.Classify(range.RangeType);

    public NdRegion? Region { get; set; }
}
