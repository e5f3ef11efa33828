namespace Vnvdimm.Formats.Acpi;

/// <summary>
/// Offsets of the 36-byte System Description Table header (ACPI 6.5 §5.2.6).
/// <code>
///  0 Signature[4]  4 Length u32  8 Revision u8  9 Checksum u8  10 OEMID[6]
/// 16 OEM Table ID[8]  24 OEM Revision u32  28 Creator ID[4]  32 Creator Revision u32
/// </code>
/// </summary>
public static class SdtHeaderLayout
{
    public const int SignatureOffset = 0;
    public const int SignatureLength = 4;
    public const int LengthOffset = SignatureOffset + SignatureLength;
    public const int RevisionOffset = LengthOffset + sizeof(uint);
    public const int ChecksumOffset = RevisionOffset + sizeof(byte);
    public const int OemIdOffset = ChecksumOffset + sizeof(byte);
    public const int OemIdLength = 6;
    public const int OemTableIdOffset = OemIdOffset + OemIdLength;
    public const int OemTableIdLength = 8;
    public const int OemRevisionOffset = OemTableIdOffset + OemTableIdLength;
    public const int CreatorIdOffset = OemRevisionOffset + sizeof(uint);
    public const int CreatorIdLength = 4;
    public const int CreatorRevisionOffset = CreatorIdOffset + CreatorIdLength;
    public const int Size = CreatorRevisionOffset + sizeof(uint);
}
