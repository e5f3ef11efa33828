namespace Vnvdimm.Formats.InfoBlocks;

/// <summary>
/// Linux struct nd_pfn_sb (drivers/nvdimm/pfn.h, research §4.2), little-endian, 4096 bytes:
/// <code>
///  0 signature[16]  16 uuid[16]  32 parent_uuid[16]  48 flags u32  52 version_major u16  54 version_minor u16
/// 56 dataoff u64  64 npfns u64  72 mode u32  76 start_pad u32  80 end_trunc u32  84 align u32
/// 88 page_size u32  92 page_struct_size u16  94 padding[3994]  4088 checksum u64
/// </code>
/// </summary>
public static class PfnInfoBlockLayout
{
    public const string PfnSignature = "NVDIMM_PFN_INFO";
    public const string DaxSignature = "NVDIMM_DAX_INFO";
    public const int DataOffsetOffset = 56;
    public const int NPfnsOffset = 64;
    public const int ModeOffset = 72;
    public const int StartPadOffset = 76;
    public const int EndTruncOffset = 80;
    public const int AlignOffset = 84;
    public const int PageSizeOffset = 88;
    public const int PageStructSizeOffset = 92;
    public const int PaddingOffset = 94;
}
