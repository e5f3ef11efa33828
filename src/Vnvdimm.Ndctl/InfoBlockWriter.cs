using System.Buffers.Binary;
using Vnvdimm.Formats.InfoBlocks;

namespace Vnvdimm.Ndctl;

/// <summary>
/// What the kernel writes into a new namespace when ndctl enables its personality: the pfn/dax
/// info block of nd_pfn_init at offset 4 KiB, or a fresh BTT (btt_arena_write_layout: map zeroed,
/// log zeroed then one initial entry per lane, info2 then info written).
/// </summary>
internal static class InfoBlockWriter
{
    /// <summary>LOG_SEQ_INIT: the sequence number of a fresh log entry.</summary>
    private const uint LogSeqInit = 1;

    public static void WritePfn(IDimmMedia media, ulong dpa, PfnInfoBlock block)
    {
        byte[] bytes = new byte[InfoBlock.Size];
        block.WriteTo(bytes);
        media.Write(dpa + (ulong)InfoBlock.NamespaceOffset, bytes);
    }

    /// <summary>Lays out the arenas over the namespace at <paramref name="dpa"/>; false when it is below one arena.</summary>
    public static bool TryWriteBtt(IDimmMedia media, ulong dpa, ulong size, uint sectorSize, Guid uuid, Guid parentUuid, bool btt2)
    {
        // BTT2 (v1.2 labels) starts at 0; BTT 1.1 leaves the first 4 KiB alone (nd_btt->initial_offset).
        ulong initialOffset = btt2 ? (ulong)InfoBlock.Btt2NamespaceOffset : (ulong)InfoBlock.NamespaceOffset;
        IReadOnlyList<BttInfoBlock> arenas = BttInfoBlock.CreateArenas(size - initialOffset, sectorSize, uuid, parentUuid,
            (ushort)(btt2 ? 2 : 1), (ushort)(btt2 ? 0 : 1));
        if (arenas.Count == 0)
        {
            return false;
        }
        ulong arena = dpa + initialOffset;
        byte[] info = new byte[InfoBlock.Size];
        foreach (BttInfoBlock block in arenas)
        {
            media.Zero(arena + block.MapOff, block.Info2Off - block.MapOff);
            byte[] entry = new byte[16];
            for (uint lane = 0; lane < block.NFree; lane++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry, lane);
                BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), block.ExternalNLba + lane);
                BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), block.ExternalNLba + lane);
                BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), LogSeqInit);
                media.Write(arena + block.LogOff + lane * BttInfoBlock.LogGroupSize, entry);
            }
            block.WriteTo(info);
            media.Write(arena + block.Info2Off, info);
            media.Write(arena, info);
            arena += block.NextOff;
        }
        return true;
    }

    /// <summary>ndctl's zero_info_block: clears the first 8 KiB unless already zero; true if it wrote.</summary>
    public static bool ZeroInfoBlock(IDimmMedia media, ulong dpa, ulong size)
    {
        int length = (int)Math.Min(size, 2UL * InfoBlock.Size);
        byte[] current = new byte[length];
        media.Read(dpa, current);
        if (!current.AsSpan().ContainsAnyExcept((byte)0))
        {
            return false;
        }
        media.Write(dpa, new byte[length]);
        return true;
    }
}
