namespace Vnvdimm.Formats.InfoBlocks;

/// <summary>
/// Linux struct btt_sb (drivers/nvdimm/btt.h, research §4.3), little-endian, 4096 bytes, at the
/// start of every arena with a backup copy (info2) at its end:
/// <code>
///  0 signature[16]  16 uuid[16]  32 parent_uuid[16]  48 flags u32  52 version_major u16  54 version_minor u16
/// 56 external_lbasize u32  60 external_nlba u32  64 internal_lbasize u32  68 internal_nlba u32
/// 72 nfree u32  76 infosize u32  80 nextoff u64  88 dataoff u64  96 mapoff u64  104 logoff u64
/// 112 info2off u64  120 padding[3968]  4088 checksum u64
/// </code>
/// Offsets at 80–112 are relative to the arena's start.
/// </summary>
public static class BttInfoBlockLayout
{
    public const string Signature = "BTT_ARENA_INFO";
    public const int ExternalLbaSizeOffset = 56;
    public const int ExternalNLbaOffset = 60;
    public const int InternalLbaSizeOffset = 64;
    public const int InternalNLbaOffset = 68;
    public const int NFreeOffset = 72;
    public const int InfoSizeOffset = 76;
    public const int NextOffOffset = 80;
    public const int DataOffOffset = 88;
    public const int MapOffOffset = 96;
    public const int LogOffOffset = 104;
    public const int Info2OffOffset = 112;
    public const int PaddingOffset = 120;

    /// <summary>Error-state bit of flags (IB_FLAG_ERROR).</summary>
    public const uint FlagError = 1;

    /// <summary>Free-pool blocks per arena (BTT_DEFAULT_NFREE = ND_MAX_LANES).</summary>
    public const uint DefaultNFree = 256;

    /// <summary>Largest arena (ARENA_MAX_SIZE) and smallest namespace/arena (ARENA_MIN_SIZE).</summary>
    public const long ArenaMaxSize = 1L << 39;
    public const long ArenaMinSize = 1L << 24;
}
