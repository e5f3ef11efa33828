using System.Buffers.Binary;
using System.Text;
using Vnvdimm.Formats.Labels;
using C = Vnvdimm.Formats.InfoBlocks.InfoBlock;
using L = Vnvdimm.Formats.InfoBlocks.BttInfoBlockLayout;

namespace Vnvdimm.Formats.InfoBlocks;

/// <summary>
/// A BTT arena info block (struct btt_sb, signature BTT_ARENA_INFO), read and written as Linux
/// does (research §4.3): v1.1 at namespace offset 4 KiB, v2.0 at 0. Offsets are relative to the
/// arena's start. Layout: <see cref="BttInfoBlockLayout"/>.
/// </summary>
public sealed record BttInfoBlock
{
    /// <summary>BTT_PG_SIZE: info blocks, map and log are rounded to it.</summary>
    public const uint PageSize = 4096;

    /// <summary>Bytes per free-list lane in the log (LOG_GRP_SIZE) and per map entry (MAP_ENT_SIZE).</summary>
    public const uint LogGroupSize = 64;
    public const uint MapEntrySize = 4;

    /// <summary>INT_LBASIZE_ALIGNMENT: internal blocks are external ones rounded up to 64 bytes.</summary>
    public const uint InternalLbaAlignment = 64;

    public Guid Uuid { get; init; }
    public Guid ParentUuid { get; init; }
    public uint Flags { get; init; }
    public ushort VersionMajor { get; init; } = 1;
    public ushort VersionMinor { get; init; } = 1;
    public uint ExternalLbaSize { get; init; }
    public uint ExternalNLba { get; init; }
    public uint InternalLbaSize { get; init; }
    public uint InternalNLba { get; init; }
    public uint NFree { get; init; } = L.DefaultNFree;
    public uint InfoSize { get; init; } = C.Size;
    public ulong NextOff { get; init; }
    public ulong DataOff { get; init; }
    public ulong MapOff { get; init; }
    public ulong LogOff { get; init; }
    public ulong Info2Off { get; init; }

    /// <summary>False when the stored Fletcher-64 is wrong (WriteTo always writes a fresh one).</summary>
    public bool ChecksumMatches { get; init; } = true;

    /// <summary>The kernel accepts exactly 1.1 (BTT1) and 2.0 (BTT2).</summary>
    public bool IsSupportedVersion => (VersionMajor, VersionMinor) is (1, 1) or (2, 0);

    /// <summary>Parses a block; fails on a short buffer or a wrong signature.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out BttInfoBlock? block, out string? reason)
    {
        block = null;
        if (source.Length < C.Size)
        {
            reason = $"info block needs {C.Size} bytes, got {source.Length}";
            return false;
        }
        source = source[..C.Size];
        Span<byte> signature = stackalloc byte[C.SignatureLength];
        signature.Clear();
        Encoding.ASCII.GetBytes(L.Signature, signature);
        if (!source[..C.SignatureLength].SequenceEqual(signature))
        {
            reason = "signature mismatch";
            return false;
        }
        InfoBlockHeader header = InfoBlockHeader.Read(source);
        block = new BttInfoBlock
        {
            Uuid = header.Uuid,
            ParentUuid = header.ParentUuid,
            Flags = header.Flags,
            VersionMajor = header.VersionMajor,
            VersionMinor = header.VersionMinor,
            ExternalLbaSize = BinaryPrimitives.ReadUInt32LittleEndian(source[L.ExternalLbaSizeOffset..]),
            ExternalNLba = BinaryPrimitives.ReadUInt32LittleEndian(source[L.ExternalNLbaOffset..]),
            InternalLbaSize = BinaryPrimitives.ReadUInt32LittleEndian(source[L.InternalLbaSizeOffset..]),
            InternalNLba = BinaryPrimitives.ReadUInt32LittleEndian(source[L.InternalNLbaOffset..]),
            NFree = BinaryPrimitives.ReadUInt32LittleEndian(source[L.NFreeOffset..]),
            InfoSize = BinaryPrimitives.ReadUInt32LittleEndian(source[L.InfoSizeOffset..]),
            NextOff = BinaryPrimitives.ReadUInt64LittleEndian(source[L.NextOffOffset..]),
            DataOff = BinaryPrimitives.ReadUInt64LittleEndian(source[L.DataOffOffset..]),
            MapOff = BinaryPrimitives.ReadUInt64LittleEndian(source[L.MapOffOffset..]),
            LogOff = BinaryPrimitives.ReadUInt64LittleEndian(source[L.LogOffOffset..]),
            Info2Off = BinaryPrimitives.ReadUInt64LittleEndian(source[L.Info2OffOffset..]),
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
        new InfoBlockHeader(Uuid, ParentUuid, Flags, VersionMajor, VersionMinor).WriteTo(block, L.Signature);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.ExternalLbaSizeOffset..], ExternalLbaSize);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.ExternalNLbaOffset..], ExternalNLba);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.InternalLbaSizeOffset..], InternalLbaSize);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.InternalNLbaOffset..], InternalNLba);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.NFreeOffset..], NFree);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.InfoSizeOffset..], InfoSize);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.NextOffOffset..], NextOff);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.DataOffOffset..], DataOff);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.MapOffOffset..], MapOff);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.LogOffOffset..], LogOff);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.Info2OffOffset..], Info2Off);
        Fletcher64.Update(block, C.ChecksumOffset);
    }

    /// <summary>
    /// The arenas the kernel lays out over <paramref name="rawSize"/> bytes (create_arenas and
    /// alloc_arena): at most 512 GiB each, a tail below 16 MiB dropped; per arena
    /// info | data | map | log | info2. Empty when the space is below 16 MiB.
    /// </summary>
    public static IReadOnlyList<BttInfoBlock> CreateArenas(ulong rawSize, uint externalLbaSize, Guid uuid, Guid parentUuid, ushort major, ushort minor)
    {
        var arenas = new List<BttInfoBlock>();
        ulong remaining = rawSize;
        while (remaining > 0)
        {
            ulong arenaSize = Math.Min((ulong)L.ArenaMaxSize, remaining);
            remaining -= arenaSize;
            if (arenaSize < (ulong)L.ArenaMinSize)
            {
                break;
            }
            uint internalLbaSize = (externalLbaSize + InternalLbaAlignment - 1) / InternalLbaAlignment * InternalLbaAlignment;
            ulong available = arenaSize - arenaSize % PageSize - 2 * PageSize;
            ulong logSize = RoundUp((ulong)L.DefaultNFree * LogGroupSize, PageSize);
            available -= logSize;
            uint internalNLba = (uint)((available - PageSize) / (internalLbaSize + MapEntrySize));
            uint externalNLba = internalNLba - L.DefaultNFree;
            ulong mapSize = RoundUp((ulong)externalNLba * MapEntrySize, PageSize);
            ulong dataSize = available - mapSize;
            ulong dataOff = PageSize;
            arenas.Add(new BttInfoBlock
            {
                Uuid = uuid,
                ParentUuid = parentUuid,
                VersionMajor = major,
                VersionMinor = minor,
                ExternalLbaSize = externalLbaSize,
                ExternalNLba = externalNLba,
                InternalLbaSize = internalLbaSize,
                InternalNLba = internalNLba,
                NextOff = remaining >= (ulong)L.ArenaMinSize ? arenaSize : 0,
                DataOff = dataOff,
                MapOff = dataOff + dataSize,
                LogOff = dataOff + dataSize + mapSize,
                Info2Off = dataOff + dataSize + mapSize + logSize,
            });
        }
        return arenas;
    }

    private static ulong RoundUp(ulong value, ulong multiple) => (value + multiple - 1) / multiple * multiple;
}
