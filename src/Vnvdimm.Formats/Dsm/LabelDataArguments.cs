using System.Buffers.Binary;

namespace Vnvdimm.Formats.Dsm;

/// <summary>
/// Arg3 of Get (function 5) and Set (function 6) Namespace Label Data: u32 offset into the label
/// area, u32 length; for Set, the <see cref="Length"/> bytes to write follow.
/// </summary>
public readonly record struct LabelDataArguments(uint Offset, uint Length)
{
    public const int OffsetOffset = 0;
    public const int LengthOffset = OffsetOffset + sizeof(uint);
    public const int Size = LengthOffset + sizeof(uint);
    /// <summary>Where Set Namespace Label Data's bytes start inside Arg3.</summary>
    public const int DataOffset = Size;

    /// <summary>
    /// 4076: the most one call moves, min(what a Get reply holds, what a Set request holds) =
    /// min(4096 − 8, 4096 − 12 − 8). Function 4 reports it as the max transfer.
    /// </summary>
    public const int MaxTransfer = DsmPage.MaxPayloadLength < DsmPage.ArgumentsLength - DataOffset
        ? DsmPage.MaxPayloadLength
        : DsmPage.ArgumentsLength - DataOffset;

    /// <summary>Reads offset and length from the start of <paramref name="arguments"/>; false if it holds fewer than 8 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> arguments, out LabelDataArguments result)
    {
        if (arguments.Length < Size)
        {
            result = default;
            return false;
        }
        result = new LabelDataArguments(
            BinaryPrimitives.ReadUInt32LittleEndian(arguments[OffsetOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(arguments[LengthOffset..]));
        return true;
    }

    /// <summary>The <see cref="Length"/> bytes of a Set request; false when they do not fit in <paramref name="arguments"/>.</summary>
    public bool TryGetData(ReadOnlySpan<byte> arguments, out ReadOnlySpan<byte> data)
    {
        if (arguments.Length < DataOffset || Length > (uint)(arguments.Length - DataOffset))
        {
            data = default;
            return false;
        }
        data = arguments.Slice(DataOffset, (int)Length);
        return true;
    }

    /// <summary>Writes offset and length (8 bytes) at the start of <paramref name="arguments"/>.</summary>
    public void WriteTo(Span<byte> arguments)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(arguments[OffsetOffset..], Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(arguments[LengthOffset..Size], Length);
    }
}
