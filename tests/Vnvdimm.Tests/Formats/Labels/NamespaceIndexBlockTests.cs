using System.Buffers.Binary;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Tests.Formats.Labels;

/// <summary>Index blocks: the lab image's two blocks written by Linux, initial blocks, sequence rules.</summary>
public sealed class NamespaceIndexBlockTests
{
    private static readonly LabelAreaGeometry V11 = Geometry(128 * 1024, 128);
    private static readonly LabelAreaGeometry V12 = Geometry(128 * 1024, 256);

    private static LabelAreaGeometry Geometry(int area, int labelSize)
    {
        Assert.True(LabelAreaGeometry.TryCompute(area, labelSize, out LabelAreaGeometry g, out _));
        return g;
    }

    [Fact]
    public void Reads_the_lab_blocks_and_writes_them_back_byte_for_byte()
    {
        byte[] area = LabBackendImage.ReadLabelArea();
        var expected = new (uint Seq, ulong Checksum, int[] Used)[] { (1, 0xEB634497D7313E02, [1, 2]), (3, 0xEB634997D7313E07, [0, 1]) };
        for (int i = 0; i < 2; i++)
        {
            ReadOnlySpan<byte> bytes = area.AsSpan(i * 256, 256);
            Assert.True(NamespaceIndexBlock.TryRead(bytes, out NamespaceIndexBlock? block, out _));
            Assert.True(block!.IsValidFor(V11, i, out string? reason), reason);
            Assert.Equal("NAMESPACE_INDEX", block.Signature);
            Assert.Equal((expected[i].Seq, (ulong)(i * 256), 256UL, (ulong)((1 - i) * 256), 512UL, 1020u, (ushort)1, (ushort)1, 128),
                (block.Sequence, block.MyOffset, block.MySize, block.OtherOffset, block.LabelOffset, block.SlotCount, block.Major, block.Minor, block.DeclaredLabelSize));
            Assert.Equal(expected[i].Checksum, block.StoredChecksum);
            Assert.True(block.ChecksumMatches);
            Assert.Equal(expected[i].Used, block.UsedSlots());
            byte[] written = new byte[256];
            block.WriteTo(written);
            Assert.Equal(bytes.ToArray(), written);
        }
    }

    [Theory]
    [InlineData(128, false, 0xEB634621D7313E0A, 0xEB6349E6D7313E09, 199, 0xFF)]
    [InlineData(128, true, 0xDB634621E7313E0A, 0xDB6349E6E7313E09, 199, 0x0F)]
    [InlineData(256, false, 0x2793E3EDD8323C1C, 0x2793E7B2D8323C1B, 135, 0xFF)]
    [InlineData(256, true, 0xE793E3ED18323C1C, 0xE793E7B218323C1B, 135, 0x3F)]
    public void Initial_blocks_match_the_research_vectors(int labelSize, bool kernel, ulong checksum0, ulong checksum1, int lastByte, int lastValue)
    {
        LabelAreaGeometry g = labelSize == 128 ? V11 : V12;
        byte[] area = new byte[g.AreaSize];
        LabelArea.WriteInitialIndex(area, g, kernel ? IndexBitmapTail.Kernel : IndexBitmapTail.Ndctl);
        Assert.Equal(checksum0, BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(64)));
        Assert.Equal(checksum1, BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(256 + 64)));
        Assert.Equal((byte)lastValue, area[lastByte]);
        Assert.Equal(0, area[lastByte + 1]);
        Assert.Equal((3u, 2u), (BinaryPrimitives.ReadUInt32LittleEndian(area.AsSpan(20)), BinaryPrimitives.ReadUInt32LittleEndian(area.AsSpan(256 + 20))));
        Assert.Equal(labelSize == 256 ? 1 : 0, area[19]);
        Assert.True(area.AsSpan(512).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Kernel_style_blocks_with_slot_0_used_match_the_recipe_vectors()
    {
        byte[] area = new byte[V12.AreaSize];
        NamespaceIndexBlock.CreateInitial(V12, 0, 3, IndexBitmapTail.Kernel).WithSlot(0, isFree: false).WriteTo(area);
        NamespaceIndexBlock.CreateInitial(V12, 1, 2, IndexBitmapTail.Kernel).WithSlot(0, isFree: false).WriteTo(area.AsSpan(256));
        Assert.Equal(0xFE, area[72]);
        Assert.Equal(0xE793E3BF18323C1BUL, BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(64)));
        Assert.Equal(0xE793E78418323C1AUL, BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(256 + 64)));
    }

    [Theory]
    [InlineData(3u, 2u, 0)]
    [InlineData(2u, 3u, 1)]
    [InlineData(1u, 3u, 0)]
    [InlineData(3u, 1u, 1)]
    [InlineData(2u, 1u, 0)]
    [InlineData(1u, 2u, 1)]
    [InlineData(2u, 2u, 1)]
    [InlineData(0u, 2u, 1)]
    [InlineData(2u, 0u, 0)]
    [InlineData(7u, 2u, 0)]
    public void Newer_sequence_follows_the_1_2_3_cycle_and_ties_go_to_block_1(uint a, uint b, int winner) =>
        Assert.Equal(winner, NamespaceIndexBlock.Newer(a, b));

    [Fact]
    public void Next_sequence_cycles() =>
        Assert.Equal([2u, 3u, 1u, 0u], new uint[] { 1, 2, 3, 0 }.Select(NamespaceIndexBlock.NextSequence));

    [Fact]
    public void Each_failed_check_is_reported_in_the_kernels_words()
    {
        byte[] block = new byte[256];
        NamespaceIndexBlock.CreateInitial(V11, 0, 3).WriteTo(block);
        Assert.Equal("nsindex1 myoff: 0x0 invalid", Reason(block, 1));
        Assert.Equal("nsindex0 labelsize 0 invalid", Reason(block, 0, V12));

        block[100] ^= 1;
        Assert.Equal("nsindex0 checksum invalid", Reason(block, 0));

        block[0] = (byte)'X';
        Assert.Equal("nsindex0 signature invalid", Reason(block, 0));

        byte[] seq0 = new byte[256];
        NamespaceIndexBlock.CreateInitial(V11, 0, 4).WriteTo(seq0);
        Assert.Equal("nsindex0 sequence: 0x4 invalid", Reason(seq0, 0));
    }

    private static string? Reason(byte[] bytes, int position, LabelAreaGeometry? geometry = null)
    {
        Assert.True(NamespaceIndexBlock.TryRead(bytes, out NamespaceIndexBlock? block, out _));
        Assert.False(block!.IsValidFor(geometry ?? V11, position, out string? reason));
        return reason;
    }

    [Fact]
    public void Short_input_is_refused_with_a_reason()
    {
        Assert.False(NamespaceIndexBlock.TryRead(new byte[71], out _, out string? reason));
        Assert.NotNull(reason);
    }
}
