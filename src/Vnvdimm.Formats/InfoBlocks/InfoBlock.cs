namespace Vnvdimm.Formats.InfoBlocks;

/// <summary>
/// Rules shared by the pfn, dax and BTT info blocks (research §4.1): each is 4 KiB with a
/// little-endian Fletcher-64 of the whole block (checksum field zeroed) at byte 4088. PFN, DAX and
/// BTT v1.1 blocks sit at namespace offset 4 KiB, leaving the first 4 KiB for a partition table;
/// BTT v2.0 (with v1.2 labels) sits at offset 0.
/// </summary>
public static class InfoBlock
{
    public const int Size = 4096;
    public const int ChecksumOffset = Size - sizeof(ulong);

    /// <summary>Namespace offset of PFN, DAX and BTT v1.1 info blocks.</summary>
    public const long NamespaceOffset = 4096;

    /// <summary>Namespace offset of a BTT v2.0 (UEFI) arena's info block.</summary>
    public const long Btt2NamespaceOffset = 0;

    public const int SignatureLength = 16;
    public const int UuidOffset = 16;
    public const int ParentUuidOffset = 32;
    public const int UuidLength = 16;
    public const int FlagsOffset = 48;
    public const int VersionMajorOffset = 52;
    public const int VersionMinorOffset = 54;
}
