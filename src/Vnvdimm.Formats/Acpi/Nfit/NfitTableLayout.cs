namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>
/// The NFIT (ACPI 6.5 §5.2.26): a 36-byte header, 4 reserved bytes, then structures back to back.
/// The structures alone are what QEMU calls the FIT buffer (served by the _FIT method).
/// </summary>
public static class NfitTableLayout
{
    public const string Signature = "NFIT";

    /// <summary>The revision QEMU writes.</summary>
    public const byte Revision = 1;

    public const int ReservedOffset = SdtHeaderLayout.Size;
    public const int ReservedLength = 4;
    public const int StructuresOffset = ReservedOffset + ReservedLength;
}
