using System.Buffers.Binary;

namespace Vnvdimm.Guest.Nd;

/// <summary>
/// The label storage area's namespace index blocks as Linux 6.1 sizes and validates them
/// (drivers/nvdimm/label.c; research/linux-ndctl-labels.md §2.2–§2.5).
/// </summary>
public static class NamespaceIndex
{
    /// <summary>Index blocks are multiples of 256 bytes.</summary>
    public const int Alignment = 256;

    /// <summary>sizeof(struct nd_namespace_index): the header before the free bitmap.</summary>
    public const int HeaderSize = 72;

    public const int SignatureLength = 16;
    public const int LabelSizeOffset = 19;
    public const int SequenceOffset = 20;
    public const int MyOffsetOffset = 24;
    public const int MySizeOffset = 32;
    public const int OtherOffsetOffset = 40;
    public const int LabelOffsetOffset = 48;
    public const int SlotCountOffset = 56;
    public const int MajorOffset = 60;
    public const int MinorOffset = 62;
    public const int ChecksumOffset = 64;
    public const int FreeBitmapOffset = 72;

    public static ReadOnlySpan<byte> Signature => "NAMESPACE_INDEX\0"u8;

    /// <summary>nvdimm_num_label_slots: how many labels of <paramref name="labelSize"/> bytes the area holds besides two index blocks.</summary>
    public static int LabelSlots(uint configSize, int labelSize)
    {
        uint slotsIfAllLabels = configSize / (uint)labelSize;
        uint blocks = (uint)SizeForSlots(slotsIfAllLabels) / Alignment;
        long remaining = (long)configSize - (2L * Alignment * blocks);
        return remaining < 0 ? 0 : (int)(remaining / labelSize);
    }

    /// <summary>sizeof_namespace_index: the size of one index block, or 0 when the area cannot hold two blocks and two labels.</summary>
    public static int BlockSize(uint configSize, int labelSize)
    {
        int slots = LabelSlots(configSize, labelSize);
        long space = configSize - ((long)slots * labelSize);
        int size = SizeForSlots((uint)slots) * 2;
        return size <= space && slots >= 2 ? size / 2 : 0;
    }

    /// <summary>
    /// __nd_label_validate for each label size Linux tries (128, then 256): the current block
    /// (0 or 1) and the label size, or -1 when neither block is valid.
    /// </summary>
    public static int FindCurrent(ReadOnlySpan<byte> data, uint configSize, out int labelSize)
    {
        foreach (int size in (ReadOnlySpan<int>)[128, 256])
        {
            int current = Validate(data, configSize, size);
            if (current >= 0)
            {
                labelSize = size;
                return current;
            }
        }
        labelSize = 0;
        return -1;
    }

    /// <summary>The next sequence number after <paramref name="sequence"/>: 1 → 2 → 3 → 1.</summary>
    public static uint NextSequence(uint sequence) => (sequence & 3) switch
    {
        1 => 2,
        2 => 3,
        3 => 1,
        _ => 0,
    };

    private static int SizeForSlots(uint slots) => (int)(((HeaderSize + ((slots + 7) / 8)) + Alignment - 1) / Alignment * Alignment);

    private static int Validate(ReadOnlySpan<byte> data, uint configSize, int labelSize)
    {
        int blockSize = BlockSize(configSize, labelSize);
        if (blockSize == 0 || data.Length < 2 * blockSize)
        {
            return -1;
        }
        Span<bool> valid = stackalloc bool[2];
        Span<uint> sequences = stackalloc uint[2];
        for (int i = 0; i < 2; i++)
        {
            ReadOnlySpan<byte> block = data.Slice(i * blockSize, blockSize);
            sequences[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[SequenceOffset..]);
            valid[i] = IsValidBlock(block, i, blockSize, configSize, labelSize);
        }
        return (valid[0], valid[1]) switch
        {
            (false, false) => -1,
            (true, false) => 0,
            (false, true) => 1,
            _ => BestSequence(sequences[0], sequences[1]) == (sequences[1] & 3) ? 1 : 0,
        };
    }

    private static bool IsValidBlock(ReadOnlySpan<byte> block, int index, int blockSize, uint configSize, int labelSize)
    {
        if (!block[..SignatureLength].SequenceEqual(Signature))
        {
            return false;
        }
        // Label sizes above 128 arrived with v1.2.
        int version = (BinaryPrimitives.ReadUInt16LittleEndian(block[MajorOffset..]) * 100) + BinaryPrimitives.ReadUInt16LittleEndian(block[MinorOffset..]);
        int blockLabelSize = version >= 102 ? 1 << (7 + block[LabelSizeOffset]) : 128;
        if (blockLabelSize != labelSize)
        {
            return false;
        }
        if (Fletcher64.Compute(block, ChecksumOffset) != BinaryPrimitives.ReadUInt64LittleEndian(block[ChecksumOffset..]))
        {
            return false;
        }
        if ((BinaryPrimitives.ReadUInt32LittleEndian(block[SequenceOffset..]) & 3) == 0)
        {
            return false;
        }
        if (BinaryPrimitives.ReadUInt64LittleEndian(block[MyOffsetOffset..]) != (ulong)(index * blockSize)
            || BinaryPrimitives.ReadUInt64LittleEndian(block[OtherOffsetOffset..]) != (ulong)((1 - index) * blockSize)
            || BinaryPrimitives.ReadUInt64LittleEndian(block[LabelOffsetOffset..]) != (ulong)(2 * blockSize))
        {
            return false;
        }
        ulong mySize = BinaryPrimitives.ReadUInt64LittleEndian(block[MySizeOffset..]);
        if (mySize > (ulong)blockSize || mySize < HeaderSize)
        {
            return false;
        }
        ulong slots = BinaryPrimitives.ReadUInt32LittleEndian(block[SlotCountOffset..]);
        return (slots * (ulong)labelSize) + (2UL * (ulong)blockSize) <= configSize;
    }

    // best_seq: the later of two sequence numbers in the cycle 1 → 2 → 3 → 1.
    private static uint BestSequence(uint a, uint b)
    {
        a &= 3;
        b &= 3;
        if (a == 0 || a == b)
        {
            return b;
        }
        if (b == 0)
        {
            return a;
        }
        return NextSequence(a) == b ? b : a;
    }
}
