using System.Buffers.Binary;
using L = Vnvdimm.Formats.Labels.NamespaceIndexBlockLayout;

namespace Vnvdimm.Formats.Labels;

/// <summary>
/// One namespace index block as stored: the header fields, the free bitmap with whatever padding
/// follows it (kept byte for byte so the checksum, which covers the whole block, round-trips), and
/// whether the stored checksum matched. Layout: <see cref="NamespaceIndexBlockLayout"/>.
/// </summary>
public sealed class NamespaceIndexBlock
{
    private readonly byte[] signature;
    private readonly byte[] free;

    private NamespaceIndexBlock(byte[] signature, byte[] free)
    {
        this.signature = signature;
        this.free = free;
    }

    /// <summary>The 16 signature bytes.</summary>
    public ReadOnlySpan<byte> SignatureBytes => signature;

    /// <summary>The signature up to its first NUL, as ndctl prints it.</summary>
    public string Signature
    {
        get
        {
            int end = Array.IndexOf(signature, (byte)0);
            return System.Text.Encoding.Latin1.GetString(signature, 0, end < 0 ? signature.Length : end);
        }
    }

    public bool HasValidSignature => signature.AsSpan().SequenceEqual(L.Signature);

    /// <summary>The 3-byte flags field (0).</summary>
    public uint Flags { get; private init; }

    /// <summary>log2(label size) - 7 for v1.2 blocks; 0 in v1.1.</summary>
    public byte LabelSizeCode { get; private init; }

    public uint Sequence { get; private init; }
    public ulong MyOffset { get; private init; }
    public ulong MySize { get; private init; }
    public ulong OtherOffset { get; private init; }
    public ulong LabelOffset { get; private init; }
    public uint SlotCount { get; private init; }
    public ushort Major { get; private init; }
    public ushort Minor { get; private init; }

    /// <summary>The checksum as stored (WriteTo always writes a fresh one).</summary>
    public ulong StoredChecksum { get; private init; }

    /// <summary>Whether <see cref="StoredChecksum"/> is the Fletcher-64 of the block as read.</summary>
    public bool ChecksumMatches { get; private init; }

    /// <summary>The free bitmap and the rest of the block after the header.</summary>
    public ReadOnlySpan<byte> Free => free;

    /// <summary>Block size: header plus bitmap area.</summary>
    public int Size => L.HeaderSize + free.Length;

    /// <summary>The label size this block declares: 128 before v1.2, else 1 &lt;&lt; (7 + labelsize).</summary>
    public int DeclaredLabelSize => Major * 100 + Minor >= 102 ? 1 << (7 + LabelSizeCode) : LabelAreaGeometry.LabelSizeV11;

    /// <summary>Bitmap bit <paramref name="slot"/>: 1 = free (LSB first in each byte).</summary>
    public bool IsSlotFree(int slot) => (free[slot / 8] & (1 << (slot % 8))) != 0;

    /// <summary>Slots below <see cref="SlotCount"/> whose bit is clear, in slot order.</summary>
    public IEnumerable<int> UsedSlots()
    {
        int count = (int)Math.Min(SlotCount, (uint)free.Length * 8);
        for (int slot = 0; slot < count; slot++)
        {
            if (!IsSlotFree(slot))
            {
                yield return slot;
            }
        }
    }

    /// <summary>Parses a block of <paramref name="source"/>.Length bytes (at least the header).</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out NamespaceIndexBlock? block, out string? reason)
    {
        block = null;
        if (source.Length < L.HeaderSize || source.Length % sizeof(uint) != 0)
        {
            reason = $"index block of {source.Length} bytes is not a whole header of {L.HeaderSize} bytes plus words";
            return false;
        }
        block = new NamespaceIndexBlock(source[..L.SignatureLength].ToArray(), source[L.FreeOffset..].ToArray())
        {
            Flags = (uint)(source[L.FlagsOffset] | source[L.FlagsOffset + 1] << 8 | source[L.FlagsOffset + 2] << 16),
            LabelSizeCode = source[L.LabelSizeOffset],
            Sequence = BinaryPrimitives.ReadUInt32LittleEndian(source[L.SequenceOffset..]),
            MyOffset = BinaryPrimitives.ReadUInt64LittleEndian(source[L.MyOffsetOffset..]),
            MySize = BinaryPrimitives.ReadUInt64LittleEndian(source[L.MySizeOffset..]),
            OtherOffset = BinaryPrimitives.ReadUInt64LittleEndian(source[L.OtherOffsetOffset..]),
            LabelOffset = BinaryPrimitives.ReadUInt64LittleEndian(source[L.LabelOffsetOffset..]),
            SlotCount = BinaryPrimitives.ReadUInt32LittleEndian(source[L.SlotCountOffset..]),
            Major = BinaryPrimitives.ReadUInt16LittleEndian(source[L.MajorOffset..]),
            Minor = BinaryPrimitives.ReadUInt16LittleEndian(source[L.MinorOffset..]),
            StoredChecksum = BinaryPrimitives.ReadUInt64LittleEndian(source[L.ChecksumOffset..]),
            ChecksumMatches = Fletcher64.IsValid(source, L.ChecksumOffset),
        };
        reason = null;
        return true;
    }

    /// <summary>Writes the block (<see cref="Size"/> bytes) with a freshly computed checksum.</summary>
    public void WriteTo(Span<byte> destination)
    {
        Span<byte> block = destination[..Size];
        signature.CopyTo(block[L.SignatureOffset..]);
        block[L.FlagsOffset] = (byte)Flags;
        block[L.FlagsOffset + 1] = (byte)(Flags >> 8);
        block[L.FlagsOffset + 2] = (byte)(Flags >> 16);
        block[L.LabelSizeOffset] = LabelSizeCode;
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.SequenceOffset..], Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.MyOffsetOffset..], MyOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.MySizeOffset..], MySize);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.OtherOffsetOffset..], OtherOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(block[L.LabelOffsetOffset..], LabelOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(block[L.SlotCountOffset..], SlotCount);
        BinaryPrimitives.WriteUInt16LittleEndian(block[L.MajorOffset..], Major);
        BinaryPrimitives.WriteUInt16LittleEndian(block[L.MinorOffset..], Minor);
        free.CopyTo(block[L.FreeOffset..]);
        Fletcher64.Update(block, L.ChecksumOffset);
    }

    /// <summary>
    /// The kernel's per-block checks (__nd_label_validate, research §2.5) for block
    /// <paramref name="position"/> under <paramref name="geometry"/>; the reason uses the kernel's words.
    /// </summary>
    public bool IsValidFor(LabelAreaGeometry geometry, int position, out string? reason)
    {
        ulong indexSize = (ulong)geometry.IndexBlockSize;
        reason =
            !HasValidSignature ? $"nsindex{position} signature invalid"
            : DeclaredLabelSize != geometry.LabelSize ? $"nsindex{position} labelsize {LabelSizeCode} invalid"
            : !ChecksumMatches || Size != geometry.IndexBlockSize ? $"nsindex{position} checksum invalid"
            : (Sequence & L.SequenceMask) == 0 ? $"nsindex{position} sequence: 0x{Sequence:x} invalid"
            : MyOffset != (ulong)position * indexSize ? $"nsindex{position} myoff: 0x{MyOffset:x} invalid"
            : OtherOffset != (ulong)(1 - position) * indexSize ? $"nsindex{position} otheroff: 0x{OtherOffset:x} invalid"
            : LabelOffset != 2 * indexSize ? $"nsindex{position} labeloff: 0x{LabelOffset:x} invalid"
            : MySize > indexSize || MySize < L.HeaderSize ? $"nsindex{position} mysize: 0x{MySize:x} invalid"
            : (ulong)SlotCount * (ulong)geometry.LabelSize + 2 * indexSize > (ulong)geometry.AreaSize
                ? $"nsindex{position} nslot: {SlotCount} invalid, config_size: 0x{geometry.AreaSize:x}"
            : null;
        return reason is null;
    }

    /// <summary>
    /// A block as ndctl's init-labels (or the kernel's initialiser) writes it: all slots free,
    /// geometry from <paramref name="geometry"/>, the rest of the block zero (research §2.11).
    /// </summary>
    public static NamespaceIndexBlock CreateInitial(LabelAreaGeometry geometry, int position, uint sequence, IndexBitmapTail tail = IndexBitmapTail.Ndctl)
    {
        byte[] free = new byte[geometry.IndexBlockSize - L.HeaderSize];
        int setBytes = (geometry.SlotCount + 63) / 64 * 8;
        free.AsSpan(0, setBytes).Fill(0xFF);
        if (tail == IndexBitmapTail.Kernel)
        {
            free.AsSpan(geometry.BitmapLength, setBytes - geometry.BitmapLength).Clear();
            if (geometry.SlotCount % 8 != 0)
            {
                free[geometry.BitmapLength - 1] = (byte)((1 << (geometry.SlotCount % 8)) - 1);
            }
        }
        return new NamespaceIndexBlock(L.Signature.ToArray(), free)
        {
            LabelSizeCode = (byte)(geometry.LabelSize >> 8),
            Sequence = sequence,
            MyOffset = (ulong)geometry.IndexBlockOffset(position),
            MySize = (ulong)geometry.IndexBlockSize,
            OtherOffset = (ulong)geometry.IndexBlockOffset(1 - position),
            LabelOffset = (ulong)geometry.LabelsOffset,
            SlotCount = (uint)geometry.SlotCount,
            Major = 1,
            Minor = (ushort)(geometry.LabelSize == LabelAreaGeometry.LabelSizeV11 ? 1 : 2),
            ChecksumMatches = true,
        };
    }

    /// <summary>This block rewritten as block <paramref name="position"/> with <paramref name="sequence"/>, as the kernel copies current over next.</summary>
    public NamespaceIndexBlock With(int position, uint sequence, LabelAreaGeometry geometry) =>
        new(signature, (byte[])free.Clone())
        {
            Flags = Flags, LabelSizeCode = LabelSizeCode, Sequence = sequence,
            MyOffset = (ulong)geometry.IndexBlockOffset(position), MySize = MySize,
            OtherOffset = (ulong)geometry.IndexBlockOffset(1 - position), LabelOffset = LabelOffset,
            SlotCount = SlotCount, Major = Major, Minor = Minor, ChecksumMatches = true,
        };

    /// <summary>This block with slot <paramref name="slot"/> marked free or in use.</summary>
    public NamespaceIndexBlock WithSlot(int slot, bool isFree)
    {
        byte[] bitmap = (byte[])free.Clone();
        if (isFree)
        {
            bitmap[slot / 8] |= (byte)(1 << (slot % 8));
        }
        else
        {
            bitmap[slot / 8] &= (byte)~(1 << (slot % 8));
        }
        return new NamespaceIndexBlock(signature, bitmap)
        {
            Flags = Flags, LabelSizeCode = LabelSizeCode, Sequence = Sequence, MyOffset = MyOffset,
            MySize = MySize, OtherOffset = OtherOffset, LabelOffset = LabelOffset, SlotCount = SlotCount,
            Major = Major, Minor = Minor, ChecksumMatches = true,
        };
    }

    /// <summary>next(1)=2, next(2)=3, next(3)=1 (0 stays invalid as 0).</summary>
    public static uint NextSequence(uint sequence) => (sequence & L.SequenceMask) switch { 1 => 2, 2 => 3, 3 => 1, _ => 0 };

    /// <summary>
    /// The kernel's best_seq: of two valid sequence numbers the cyclically newer one wins and a tie
    /// goes to <paramref name="b"/> (block 1); returns the winning position, 0 or 1.
    /// </summary>
    public static int Newer(uint a, uint b)
    {
        a &= L.SequenceMask;
        b &= L.SequenceMask;
        if (a == 0 || a == b)
        {
            return 1;
        }
        if (b == 0)
        {
            return 0;
        }
        return NextSequence(a) == b ? 1 : 0;
    }
}
