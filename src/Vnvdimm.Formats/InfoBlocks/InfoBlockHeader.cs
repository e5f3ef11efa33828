using System.Buffers.Binary;
using System.Text;
using C = Vnvdimm.Formats.InfoBlocks.InfoBlock;

namespace Vnvdimm.Formats.InfoBlocks;

/// <summary>
/// The first 56 bytes every pfn, dax and BTT info block starts with: signature[16], uuid[16],
/// parent_uuid[16] (RFC 4122 byte order), flags u32, major u16, minor u16.
/// </summary>
public readonly record struct InfoBlockHeader(Guid Uuid, Guid ParentUuid, uint Flags, ushort VersionMajor, ushort VersionMinor)
{
    public static InfoBlockHeader Read(ReadOnlySpan<byte> block) => new(
        new Guid(block.Slice(C.UuidOffset, C.UuidLength), bigEndian: true),
        new Guid(block.Slice(C.ParentUuidOffset, C.UuidLength), bigEndian: true),
        BinaryPrimitives.ReadUInt32LittleEndian(block[C.FlagsOffset..]),
        BinaryPrimitives.ReadUInt16LittleEndian(block[C.VersionMajorOffset..]),
        BinaryPrimitives.ReadUInt16LittleEndian(block[C.VersionMinorOffset..]));

    /// <summary>Writes the signature (NUL-padded by the cleared block) and the header fields.</summary>
    public void WriteTo(Span<byte> block, string signature)
    {
        Encoding.ASCII.GetBytes(signature, block[..C.SignatureLength]);
        Uuid.TryWriteBytes(block.Slice(C.UuidOffset, C.UuidLength), bigEndian: true, out _);
        ParentUuid.TryWriteBytes(block.Slice(C.ParentUuidOffset, C.UuidLength), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt32LittleEndian(block[C.FlagsOffset..], Flags);
        BinaryPrimitives.WriteUInt16LittleEndian(block[C.VersionMajorOffset..], VersionMajor);
        BinaryPrimitives.WriteUInt16LittleEndian(block[C.VersionMinorOffset..], VersionMinor);
    }
}
