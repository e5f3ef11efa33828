using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Tests.Formats.Labels;

namespace Vnvdimm.Tests.Formats.InfoBlocks;

/// <summary>The pfn/dax info block against the lab image's fsdax namespace (label dpa 0, 64 MiB).</summary>
public sealed class PfnInfoBlockTests
{
    /// <summary>The fsdax label's dpa; QEMU maps DPA 0 at backend offset 0.</summary>
    private const long FsdaxDpa = 0;

    private static byte[] ReadLabBlock()
    {
        using FileStream stream = File.OpenRead(LabBackendImage.ImagePath);
        byte[] block = new byte[InfoBlock.Size];
        stream.Seek(FsdaxDpa + InfoBlock.NamespaceOffset, SeekOrigin.Begin);
        stream.ReadExactly(block);
        return block;
    }

    [Fact]
    public void Lab_fsdax_namespace_holds_the_block_linux_wrote()
    {
        byte[] bytes = ReadLabBlock();
        Assert.True(PfnInfoBlock.TryRead(bytes, out PfnInfoBlock? block, out string? reason), reason);
        Assert.Equal(PfnInfoBlockKind.Pfn, block!.Kind);
        Assert.True(block.ChecksumMatches);
        // uuid is what ndctl list shows; parent_uuid is the label's uuid (read-labels.json).
        Assert.Equal(new Guid("2578bd0b-25c6-4ec9-943c-ebde40118388"), block.Uuid);
        Assert.Equal(new Guid("e5348eaa-3599-4fd8-9c9b-40febda4fc64"), block.ParentUuid);
        Assert.Equal((1, 4), (block.VersionMajor, block.VersionMinor));
        Assert.Equal(0x200000UL, block.DataOffset);
        Assert.Equal(62UL * 1024 * 1024 / 4096, block.NPfns);
        Assert.Equal(PfnMapLocation.Pmem, block.Mode);
        Assert.Equal((0u, 0u, 0x200000u), (block.StartPad, block.EndTrunc, block.Align));
        Assert.Equal((4096u, (ushort)64), (block.PageSizeField, block.PageStructSize));
        // ndctl's "62.00 MiB" for the 64 MiB label.
        Assert.Equal(62UL * 1024 * 1024, block.UsableSize(64UL * 1024 * 1024));
    }

    [Fact]
    public void Lab_block_round_trips_byte_for_byte()
    {
        byte[] bytes = ReadLabBlock();
        PfnInfoBlock.TryRead(bytes, out PfnInfoBlock? block, out _);
        byte[] written = new byte[InfoBlock.Size];
        block!.WriteTo(written);
        Assert.Equal(bytes, written);
    }

    [Fact]
    public void Create_reproduces_the_kernels_block_for_the_lab_namespace()
    {
        byte[] bytes = ReadLabBlock();
        PfnInfoBlock.TryRead(bytes, out PfnInfoBlock? linux, out _);
        // The region starts at SPA 0x100000000 and the namespace at its dpa 0.
        PfnInfoBlock? created = PfnInfoBlock.Create(PfnInfoBlockKind.Pfn, linux!.Uuid, linux.ParentUuid, 0x1_0000_0000, 64UL << 20,
            0x200000, PfnMapLocation.Pmem, out string? reason);
        Assert.Equal(linux, created);
        Assert.Null(reason);
    }

    [Fact]
    public void Create_matches_the_64_GiB_example_and_rejects_misalignment()
    {
        PfnInfoBlock? block = PfnInfoBlock.Create(PfnInfoBlockKind.Dax, Guid.NewGuid(), Guid.Empty, 0x1_0000_0000, 64UL << 30, 0x200000, PfnMapLocation.Pmem, out _);
        Assert.Equal(0x40200000UL, block!.DataOffset);
        Assert.Equal(67643637760UL, block.UsableSize(64UL << 30));
        Assert.Null(PfnInfoBlock.Create(PfnInfoBlockKind.Pfn, Guid.NewGuid(), Guid.Empty, 0x1_0010_0000, 64UL << 20, 0x200000, PfnMapLocation.Pmem, out string? reason));
        Assert.Equal("start 0x100100000 misaligned", reason);
        Assert.Null(PfnInfoBlock.Create(PfnInfoBlockKind.Pfn, Guid.NewGuid(), Guid.Empty, 0, 2UL << 20, 0x200000, PfnMapLocation.Pmem, out reason));
        Assert.Equal("unable to satisfy requested alignment", reason);
    }

    [Fact]
    public void Dax_blocks_round_trip_and_corruption_is_detected()
    {
        var block = new PfnInfoBlock
        {
            Kind = PfnInfoBlockKind.Dax,
            Uuid = Guid.NewGuid(),
            ParentUuid = Guid.NewGuid(),
            DataOffset = 0x400000,
            NPfns = 1234,
            Mode = PfnMapLocation.Ram,
            EndTrunc = 0x1000,
            Align = 0x1000,
        };
        byte[] bytes = new byte[InfoBlock.Size];
        block.WriteTo(bytes);
        Assert.Equal("NVDIMM_DAX_INFO\0"u8.ToArray(), bytes[..16]);
        Assert.True(Fletcher64.IsValid(bytes, InfoBlock.ChecksumOffset));
        Assert.True(PfnInfoBlock.TryRead(bytes, out PfnInfoBlock? read, out _));
        Assert.Equal(block, read);
        bytes[200] = 1;
        PfnInfoBlock.TryRead(bytes, out read, out _);
        Assert.False(read!.ChecksumMatches);
        bytes[0] = (byte)'X';
        Assert.False(PfnInfoBlock.TryRead(bytes, out _, out string? reason));
        Assert.Equal("signature mismatch", reason);
    }
}
