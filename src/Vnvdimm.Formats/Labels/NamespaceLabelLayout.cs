namespace Vnvdimm.Formats.Labels;

/// <summary>
/// Namespace label (Linux struct nd_namespace_label, UEFI 2.7 EFI_NVDIMM_LABEL): 128 bytes in v1.1,
/// 256 in v1.2, which adds the GUIDs and a checksum; integers little-endian (research §2.6).
/// <code>
///   0 uuid[16] (RFC 4122 order)   16 name[64]   80 flags u32   84 nlabel u16   86 position u16
///  88 isetcookie u64   96 lbasize u64   104 dpa u64   112 rawsize u64   120 slot u32
/// 124 align u8   125 reserved[3]   -- v1.2 only: --
/// 128 type_guid[16] (EFI order)   144 abstraction_guid[16] (EFI order)   160 reserved[88]   248 checksum u64
/// </code>
/// </summary>
public static class NamespaceLabelLayout
{
    public const int UuidOffset = 0;
    public const int UuidLength = 16;
    public const int NameOffset = UuidOffset + UuidLength;
    public const int NameLength = 64;
    public const int FlagsOffset = NameOffset + NameLength;
    public const int NLabelOffset = FlagsOffset + sizeof(uint);
    public const int PositionOffset = NLabelOffset + sizeof(ushort);
    public const int InterleaveSetCookieOffset = PositionOffset + sizeof(ushort);
    public const int LbaSizeOffset = InterleaveSetCookieOffset + sizeof(ulong);
    public const int DpaOffset = LbaSizeOffset + sizeof(ulong);
    public const int RawSizeOffset = DpaOffset + sizeof(ulong);
    public const int SlotOffset = RawSizeOffset + sizeof(ulong);
    public const int AlignOffset = SlotOffset + sizeof(uint);
    public const int ReservedOffset = AlignOffset + sizeof(byte);
    public const int ReservedLength = 3;
    public const int SizeV11 = ReservedOffset + ReservedLength;
    public const int TypeGuidOffset = SizeV11;
    public const int GuidLength = 16;
    public const int AbstractionGuidOffset = TypeGuidOffset + GuidLength;
    public const int Reserved2Offset = AbstractionGuidOffset + GuidLength;
    public const int Reserved2Length = 88;
    public const int ChecksumOffset = Reserved2Offset + Reserved2Length;
    public const int SizeV12 = ChecksumOffset + sizeof(ulong);
}
