namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>
/// System Physical Address (SPA) Range structure, type 0: 56 bytes, 64 with the ACPI 6.3
/// location cookie (Linux accepts both).
/// </summary>
public static class NfitSpaRangeLayout
{
    public const int RangeIndexOffset = NfitStructureHeader.Size;
    public const int FlagsOffset = RangeIndexOffset + sizeof(ushort);
    public const int ReservedOffset = FlagsOffset + sizeof(ushort);
    public const int ProximityDomainOffset = ReservedOffset + sizeof(uint);
    public const int RangeTypeOffset = ProximityDomainOffset + sizeof(uint);
    public const int RangeTypeLength = 16;
    public const int RangeBaseOffset = RangeTypeOffset + RangeTypeLength;
    public const int RangeLengthOffset = RangeBaseOffset + sizeof(ulong);
    public const int MemoryMappingAttributesOffset = RangeLengthOffset + sizeof(ulong);
    public const int Size = MemoryMappingAttributesOffset + sizeof(ulong);
    public const int LocationCookieOffset = Size;
    public const int SizeWithLocationCookie = LocationCookieOffset + sizeof(ulong);
}
