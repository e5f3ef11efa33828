using Vnvdimm.Formats.Acpi.Nfit;

namespace Vnvdimm.Guest.Nfit;

/// <summary>A control region structure the driver holds (struct nfit_dcr).</summary>
internal sealed class NfitDcr(byte[] raw, NfitControlRegion region)
{
    public byte[] Raw { get; } = raw;

    public NfitControlRegion Region { get; } = region;
}
