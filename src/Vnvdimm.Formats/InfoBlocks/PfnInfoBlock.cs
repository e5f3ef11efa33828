using System.Buffers.Binary;
using System.Text;
using Vnvdimm.Formats.Labels;
using C = Vnvdimm.Formats.InfoBlocks.InfoBlock;
using L = Vnvdimm.Formats.InfoBlocks.PfnInfoBlockLayout;

namespace Vnvdimm.Formats.InfoBlocks;

/// <summary>
/// The fsdax/devdax info block (struct nd_pfn_sb, v1.4) at namespace offset 4 KiB, read and written
/// as Linux does (research §4.2). Uuids are stored in RFC 4122 order like label uuids.
/// Layout: <see cref="PfnInfoBlockLayout"/>.
/// </summary>
public sealed record PfnInfoBlock
{
    /// <summary>x86 memremap_compat_align: start and end of the mapped range must be 2 MiB aligned.</summary>
    public const uint CompatAlign = 2 * 1024 * 1024;

    /// <summary>Bytes kept in front of the memmap: the unused first 4 KiB and this block.</summary>
    public const long MetadataReserve = 8192;

    public const int PageSize = 4096;

    /// <summary>sizeof(struct page) the kernel writes (MAX_STRUCT_PAGE_SIZE is 64).</summary>
    public const ushort StructPageSize = 64;

    public PfnInfoBlockKind Kind { get; init; }
    public Guid Uuid { get; init; }
    public Guid ParentUuid { get; init; }
    public uint Flags { get; init; }
    public ushort VersionMajor { get; init; } = 1;
    public ushort VersionMinor { get; init; } = 4;
    public ulong DataOffset { get; init; }
    public ulong NPfns { get; init; }
    public PfnMapLocation Mode { get; init; } = PfnMapLocation.Pmem;
    public uint StartPad { get; init; }
    public uint EndTrunc { get; init; }
    public uint Align { get; init; }
    public uint PageSizeField { get; init; } = PageSize;
    public ushort PageStructSize { get; init; } = StructPageSize;

    /// <summary>False when the stored Fletcher-64 is wrong (WriteTo always writes a fresh one).</summary>
    public bool ChecksumMatches { get; init; } = true;

    /// <summary>Signature text for <paramref name="kind"/>, without the NUL.</summary>
    public static string SignatureOf(PfnInfoBlockKind kind) => kind == PfnInfoBlockKind.Dax ? L.DaxSignature : L.PfnSignature;

    /// <summary>
    /// Usable bytes ndctl reports as the namespace size: the pfn device's size attribute,
    /// capacity − start_pad − end_trunc − dataoff.
    /// </summary>
    public ulong UsableSize(ulong namespaceSize) => namespaceSize - StartPad - EndTrunc - DataOffset;

    /// <summary>Parses a block of either kind; fails on a short buffer or an unknown signature.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out PfnInfoBlock? block, out string? reason)
    {
        block = null;
        if (source.Length < C.Size)
        {
            reason = $"info block needs {C.Size} bytes, got {source.Length}";
            return false;
        }
        source = source[..C.Size];
        PfnInfoBlockKind kind;
        if (HasSignature(source, L.PfnSignature))
        {
            kind = PfnInfoBlockKind.Pfn;
        }
        else if (HasSignature(source, L.DaxSignature))
        {
            kind = PfnInfoBlockKind.Dax;
        }
        else
        {
            reason = "signature mismatch";
            return false;
        }
        InfoBlockHeader header = InfoBlockHeader.Read(source);
        block = new PfnInfoBlock
        {
            Kind = kind,
            Uuid = header.Uuid,
            ParentUuid = header.ParentUuid,
            Flags = header.Flags,
            VersionMajor = header.VersionMajor,
            VersionMinor = header.VersionMinor,
            DataOffset = BinaryPrimitives.ReadUInt64LittleEndian(source[L.DataOffsetOffset..]),
            NPfns = BinaryPrimitives.ReadUInt64LittleEndian(source[L.NPfnsOffset..]),
            Mode = (PfnMapLocation)BinaryPrimitives.ReadUInt32LittleEndian(source[L.ModeOffset..]),
            StartPad = BinaryPrimitives.ReadUInt32LittleEndian(source[L.StartPadOffset..]),
            EndTrunc = BinaryPrimitives.ReadUInt32LittleEndian(source[L.EndTruncOffset..]),
            Align = BinaryPrimitives.ReadUInt32LittleEndian(source[L.AlignOffset..]),
            PageSizeField = BinaryPrimitives.ReadUInt32LittleEndian(source[L.PageSizeOffset..]),
            PageStructSize = BinaryPrimitives.ReadUInt16LittleEndian(source[L.PageStructSizeOffset..]),
            ChecksumMatches = Fletcher64.IsValid(source, C.ChecksumOffset),
        };
        reason = null;
        return true;
    }

    /// <summary>Writes the 4096-byte block, padding zero, checksum computed.</summary>
    public void WriteTo(Span<byte> destination)
    {
        Span<byte> block = destination[..C.Size];
        block.Clear();
        new InfoBlockHeader(Uuid, ParentUuid, Flags, VersionMajor, VersionMinor).WriteTo(block, SignatureOf(Kind));
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.DataOffsetOffset..], DataOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.NPfnsOffset..], NPfns);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.ModeOffset..], (uint)Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.StartPadOffset..], StartPad);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.EndTruncOffset..], EndTrunc);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.AlignOffset..], Align);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.PageSizeOffset..], PageSizeField);
        BinaryPrimitives.WriteUInt16LittleEndian(block[L.PageStructSizeOffset..], PageStructSize);
        Fletcher64.Update(block, C.ChecksumOffset);
    }

    /// <summary>
    /// The block nd_pfn_init writes for a namespace at physical <paramref name="start"/> of
    /// <paramref name="size"/> bytes (research §4.2 steps 1–5); null with the kernel's reason when
    /// the namespace is misaligned or too small.
    /// </summary>
    public static PfnInfoBlock? Create(PfnInfoBlockKind kind, Guid uuid, Guid parentUuid, ulong start, ulong size,
        uint align, PfnMapLocation mode, out string? reason)
    {
        ulong mapAlign = Math.Max(align, CompatAlign);
        if (start % CompatAlign != 0)
        {
            reason = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"start 0x{start:x} misaligned");
            return null;
        }
        ulong end = start + size;
        ulong endTrunc = end - end / mapAlign * mapAlign;
        ulong npfns0 = (size - (ulong)MetadataReserve) / PageSize;
        ulong reserve = mode == PfnMapLocation.Pmem ? (ulong)MetadataReserve + StructPageSize * npfns0 : (ulong)MetadataReserve;
        ulong dataOffset = (start + reserve + mapAlign - 1) / mapAlign * mapAlign - start;
        if (dataOffset >= size - endTrunc)
        {
            reason = "unable to satisfy requested alignment";
            return null;
        }
        reason = null;
        return new PfnInfoBlock
        {
            Kind = kind,
            Uuid = uuid,
            ParentUuid = parentUuid,
            DataOffset = dataOffset,
            NPfns = (size - dataOffset - endTrunc) / PageSize,
            Mode = mode,
            EndTrunc = (uint)endTrunc,
            Align = align,
        };
    }

    private static bool HasSignature(ReadOnlySpan<byte> block, string signature)
    {
        Span<byte> expected = stackalloc byte[C.SignatureLength];
        expected.Clear();
        Encoding.ASCII.GetBytes(signature, expected);
        return block[..C.SignatureLength].SequenceEqual(expected);
    }
}
