using Vnvdimm.Formats.Acpi.Nfit;

namespace Vnvdimm.Guest.Nfit;

/// <summary>A memory device to SPA range map structure the driver holds (struct nfit_memdev).</summary>
internal sealed class NfitMemdev(byte[] raw, NfitMemoryDeviceMap map)
{
    public byte[] Raw { get; } = raw;

    public NfitMemoryDeviceMap Map { get; } = map;
}
