using Vnvdimm.Formats.Aml;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// The DSDT's NVDIMM hotplug handler: <c>Method(_E04) { Notify(\_SB.NVDR, 0x80) }</c>, which
/// QEMU places in the DSDT's <c>\_GPE</c> scope (after <c>_HID</c>) whenever <c>nvdimm=on</c>.
/// GPE bit 4 fires when an NVDIMM is hot-added; 0x80 tells the OS to re-read <c>_FIT</c>.
/// </summary>
public static class NvdimmGpeHandlerBuilder
{
    /// <summary>Notify value for "NFIT update".</summary>
    public const byte NfitUpdateNotification = 0x80;

    /// <summary>The <c>_E04</c> method, to be added to the DSDT's <c>_GPE</c> scope.</summary>
    public static AmlMethod Build() => new("_E04", 0, serialized: false)
    {
        Asl.Notify(Asl.Path("\\_SB.NVDR"), Asl.Int(NfitUpdateNotification)),
    };
}
