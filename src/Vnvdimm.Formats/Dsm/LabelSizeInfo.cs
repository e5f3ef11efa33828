using System.Buffers.Binary;

namespace Vnvdimm.Formats.Dsm;

/// <summary>The payload of Get Namespace Label Size (function 4), after status 0: label-area size and max transfer.</summary>
public readonly record struct LabelSizeInfo(uint LabelSize, uint MaxTransfer)
{
    public const int LabelSizeOffset = 0;
    public const int MaxTransferOffset = LabelSizeOffset + sizeof(uint);
    public const int Size = MaxTransferOffset + sizeof(uint);

    public static bool TryRead(ReadOnlySpan<byte> payload, out LabelSizeInfo result)
    {
        if (payload.Length < Size)
        {
            result = default;
            return false;
        }
        result = new LabelSizeInfo(
            BinaryPrimitives.ReadUInt32LittleEndian(payload[LabelSizeOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[MaxTransferOffset..]));
        return true;
    }

    public void WriteTo(Span<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(payload[LabelSizeOffset..], LabelSize);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[MaxTransferOffset..Size], MaxTransfer);
    }
}
