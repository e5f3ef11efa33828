using System.Buffers.Binary;
using Vnvdimm.Guest.Nd;

namespace Vnvdimm.Tests.Guest.Nd;

/// <summary>Label-area geometry and index validation against research/linux-ndctl-labels.md §2.2, §2.5, §2.11.</summary>
public sealed class NamespaceIndexTests
{
    private const uint Area = 128 * 1024;

    [Theory]
    [InlineData(128u * 1024, 128, 1020, 256)]
    [InlineData(128u * 1024, 256, 510, 256)]
    [InlineData(256u * 1024, 128, 2040, 512)]
    [InlineData(256u * 1024, 256, 1022, 256)]
    [InlineData(2u * 1024 * 1024, 128, 16348, 2304)]
    [InlineData(768u, 128, 2, 256)]
    public void Geometry_matches_linux(uint configSize, int labelSize, int slots, int blockSize)
    {
        Assert.Equal(slots, NamespaceIndex.LabelSlots(configSize, labelSize));
        Assert.Equal(blockSize, NamespaceIndex.BlockSize(configSize, labelSize));
    }

    [Fact]
    public void Too_small_an_area_has_no_index()
    {
        Assert.Equal(0, NamespaceIndex.BlockSize(768, 256));
        Assert.Equal(0, NamespaceIndex.BlockSize(512, 128));
    }

    [Fact]
    public void Ndctl_init_labels_v1_1_blocks_have_the_known_checksums_and_block_0_is_current()
    {
        byte[] area = new byte[Area];
        WriteIndex(area, 0, 3);
        WriteIndex(area, 1, 2);

        Assert.Equal(0xEB634621D7313E0AUL, BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(NamespaceIndex.ChecksumOffset)));
        Assert.Equal(0xEB6349E6D7313E09UL, BinaryPrimitives.ReadUInt64LittleEndian(area.AsSpan(256 + NamespaceIndex.ChecksumOffset)));
        Assert.Equal(0, NamespaceIndex.FindCurrent(area, Area, out int labelSize));
        Assert.Equal(128, labelSize);
    }

    [Theory]
    [InlineData(3u, 1u, 1)]
    [InlineData(2u, 3u, 1)]
    [InlineData(1u, 2u, 1)]
    [InlineData(2u, 1u, 0)]
    [InlineData(2u, 2u, 1)]
    public void The_later_sequence_number_wins(uint seq0, uint seq1, int current)
    {
        byte[] area = new byte[Area];
        WriteIndex(area, 0, seq0);
        WriteIndex(area, 1, seq1);

        Assert.Equal(current, NamespaceIndex.FindCurrent(area, Area, out _));
    }

    [Fact]
    public void A_corrupt_block_leaves_the_other_and_an_empty_area_has_none()
    {
        byte[] area = new byte[Area];
        Assert.Equal(-1, NamespaceIndex.FindCurrent(area, Area, out _));
        WriteIndex(area, 0, 3);
        WriteIndex(area, 1, 2);
        area[100] ^= 1;
        Assert.Equal(1, NamespaceIndex.FindCurrent(area, Area, out _));
    }

    // ndctl's init-labels for v1.1 on a zeroed 128 KiB area: all 1024 bitmap bits set.
    private static void WriteIndex(byte[] area, int block, uint sequence)
    {
        Span<byte> index = area.AsSpan(block * 256, 256);
        "NAMESPACE_INDEX\0"u8.CopyTo(index);
        BinaryPrimitives.WriteUInt32LittleEndian(index[NamespaceIndex.SequenceOffset..], sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(index[NamespaceIndex.MyOffsetOffset..], (ulong)(block * 256));
        BinaryPrimitives.WriteUInt64LittleEndian(index[NamespaceIndex.MySizeOffset..], 256);
        BinaryPrimitives.WriteUInt64LittleEndian(index[NamespaceIndex.OtherOffsetOffset..], (ulong)((1 - block) * 256));
        BinaryPrimitives.WriteUInt64LittleEndian(index[NamespaceIndex.LabelOffsetOffset..], 512);
        BinaryPrimitives.WriteUInt32LittleEndian(index[NamespaceIndex.SlotCountOffset..], 1020);
        BinaryPrimitives.WriteUInt16LittleEndian(index[NamespaceIndex.MajorOffset..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(index[NamespaceIndex.MinorOffset..], 1);
        index.Slice(NamespaceIndex.FreeBitmapOffset, 128).Fill(0xFF);
        BinaryPrimitives.WriteUInt64LittleEndian(index[NamespaceIndex.ChecksumOffset..], Fletcher64.Compute(index, NamespaceIndex.ChecksumOffset));
    }
}
