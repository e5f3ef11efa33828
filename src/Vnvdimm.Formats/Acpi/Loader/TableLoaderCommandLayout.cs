namespace Vnvdimm.Formats.Acpi.Loader;

/// <summary>
/// One 128-byte linker/loader entry: a u32 command then a 124-byte union, little-endian, file
/// names NUL-padded to 56 bytes (a name must leave room for its NUL).
/// <code>
/// Allocate:     file[56]                    align u32 @60   zone u8 @64
/// AddPointer:   dest[56]  src[56] @60       offset u32 @116 size u8 @120
/// AddChecksum:  file[56]                    offset u32 @60  start u32 @64  length u32 @68
/// WritePointer: dest[56]  src[56] @60       dst_offset u32 @116 src_offset u32 @120 size u8 @124
/// </code>
/// </summary>
public static class TableLoaderCommandLayout
{
    public const int Size = 128;
    public const int FileNameLength = 56;
    public const int TypeOffset = 0;
    public const int FileOffset = TypeOffset + sizeof(uint);
    public const int SourceFileOffset = FileOffset + FileNameLength;

    public const int AllocateAlignmentOffset = FileOffset + FileNameLength;
    public const int AllocateZoneOffset = AllocateAlignmentOffset + sizeof(uint);

    public const int PointerOffsetOffset = SourceFileOffset + FileNameLength;
    public const int PointerSizeOffset = PointerOffsetOffset + sizeof(uint);

    public const int ChecksumResultOffset = FileOffset + FileNameLength;
    public const int ChecksumStartOffset = ChecksumResultOffset + sizeof(uint);
    public const int ChecksumLengthOffset = ChecksumStartOffset + sizeof(uint);

    public const int WritePointerDestinationOffset = SourceFileOffset + FileNameLength;
    public const int WritePointerSourceOffset = WritePointerDestinationOffset + sizeof(uint);
    public const int WritePointerSizeOffset = WritePointerSourceOffset + sizeof(uint);
}
