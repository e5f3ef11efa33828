namespace Vnvdimm.Formats.Labels;

/// <summary>
/// Namespace index block (UEFI 2.7 §13.19, Linux struct nd_namespace_index): a 72-byte header then
/// the free bitmap, padded to the index block size; all integers little-endian (research §2.3).
/// <code>
///  0 sig[16] "NAMESPACE_INDEX\0"   16 flags[3]   19 labelsize   20 seq u32
/// 24 myoff u64   32 mysize u64   40 otheroff u64   48 labeloff u64
/// 56 nslot u32   60 major u16   62 minor u16   64 checksum u64   72 free[] (1 = free)
/// </code>
/// </summary>
public static class NamespaceIndexBlockLayout
{
    public const int SignatureOffset = 0;
    public const int SignatureLength = 16;
    public const int FlagsOffset = SignatureOffset + SignatureLength;
    public const int FlagsLength = 3;
    public const int LabelSizeOffset = FlagsOffset + FlagsLength;
    public const int SequenceOffset = LabelSizeOffset + sizeof(byte);
    public const int MyOffsetOffset = SequenceOffset + sizeof(uint);
    public const int MySizeOffset = MyOffsetOffset + sizeof(ulong);
    public const int OtherOffsetOffset = MySizeOffset + sizeof(ulong);
    public const int LabelOffsetOffset = OtherOffsetOffset + sizeof(ulong);
    public const int SlotCountOffset = LabelOffsetOffset + sizeof(ulong);
    public const int MajorOffset = SlotCountOffset + sizeof(uint);
    public const int MinorOffset = MajorOffset + sizeof(ushort);
    public const int ChecksumOffset = MinorOffset + sizeof(ushort);
    public const int FreeOffset = ChecksumOffset + sizeof(ulong);

    /// <summary>The fixed header; the free bitmap follows.</summary>
    public const int HeaderSize = FreeOffset;

    /// <summary>Only the low two bits of seq count; 0 is invalid.</summary>
    public const uint SequenceMask = 3;

    /// <summary>"NAMESPACE_INDEX" and its NUL.</summary>
    public static ReadOnlySpan<byte> Signature => "NAMESPACE_INDEX\0"u8;
}
