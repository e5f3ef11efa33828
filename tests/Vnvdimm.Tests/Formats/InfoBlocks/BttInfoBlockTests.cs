using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Tests.Formats.InfoBlocks;

/// <summary>BTT arena info blocks: layout arithmetic of the kernel's alloc_arena and round trips.</summary>
public sealed class BttInfoBlockTests
{
    [Fact]
    public void A_32_MiB_btt1_namespace_has_one_arena_laid_out_as_the_kernel_does()
    {
        // BTT1 starts 4 KiB into the namespace.
        ulong raw = (32UL << 20) - 4096;
        BttInfoBlock arena = Assert.Single(BttInfoBlock.CreateArenas(raw, 4096, Guid.NewGuid(), Guid.Empty, 1, 1));
        // available = raw − 2 info pages − 16 KiB log; internal_nlba = (available − 4K) / (4096 + 4).
        ulong available = raw - 2 * 4096 - 16384;
        Assert.Equal((uint)((available - 4096) / 4100), arena.InternalNLba);
        Assert.Equal(arena.InternalNLba - 256, arena.ExternalNLba);
        Assert.Equal((4096u, 4096u, 256u, 4096u), (arena.ExternalLbaSize, arena.InternalLbaSize, arena.NFree, arena.InfoSize));
        Assert.Equal(4096UL, arena.DataOff);
        Assert.Equal(0UL, arena.NextOff);
        Assert.Equal(arena.LogOff + 16384, arena.Info2Off);
        Assert.Equal(raw, arena.Info2Off + 4096);
        Assert.True(arena.MapOff - arena.DataOff >= (ulong)arena.InternalNLba * arena.InternalLbaSize);
        Assert.Equal((ulong)(arena.ExternalNLba * 4 + 4095) / 4096 * 4096, arena.LogOff - arena.MapOff);
    }

    [Fact]
    public void Arenas_are_at_most_512_GiB_and_a_small_tail_is_dropped()
    {
        IReadOnlyList<BttInfoBlock> arenas = BttInfoBlock.CreateArenas((1UL << 40) + (8UL << 20), 512, Guid.NewGuid(), Guid.Empty, 2, 0);
        Assert.Equal(2, arenas.Count);
        Assert.Equal(1UL << 39, arenas[0].NextOff);
        Assert.Equal(0UL, arenas[1].NextOff);
        Assert.Equal(512u, arenas[0].InternalLbaSize);
        Assert.Empty(BttInfoBlock.CreateArenas((16UL << 20) - 4096, 4096, Guid.NewGuid(), Guid.Empty, 1, 1));
        // 520 bytes per sector round up to 576 internally.
        Assert.Equal(576u, BttInfoBlock.CreateArenas(64UL << 20, 520, Guid.NewGuid(), Guid.Empty, 1, 1)[0].InternalLbaSize);
    }

    [Fact]
    public void Blocks_round_trip_with_a_valid_checksum()
    {
        BttInfoBlock block = BttInfoBlock.CreateArenas(64UL << 20, 4096, Guid.NewGuid(), Guid.NewGuid(), 1, 1)[0] with { Flags = BttInfoBlockLayout.FlagError };
        byte[] bytes = new byte[InfoBlock.Size];
        block.WriteTo(bytes);
        Assert.Equal("BTT_ARENA_INFO\0\0"u8.ToArray(), bytes[..16]);
        Assert.True(Fletcher64.IsValid(bytes, InfoBlock.ChecksumOffset));
        Assert.True(BttInfoBlock.TryRead(bytes, out BttInfoBlock? read, out _));
        Assert.Equal(block, read);
        Assert.True(read!.IsSupportedVersion);
        byte[] again = new byte[InfoBlock.Size];
        read.WriteTo(again);
        Assert.Equal(bytes, again);
        bytes[60] ^= 1;
        BttInfoBlock.TryRead(bytes, out read, out _);
        Assert.False(read!.ChecksumMatches);
        Assert.False(BttInfoBlock.TryRead(new byte[InfoBlock.Size], out _, out string? reason));
        Assert.Equal("signature mismatch", reason);
        Assert.False((block with { VersionMinor = 2 }).IsSupportedVersion);
    }
}
