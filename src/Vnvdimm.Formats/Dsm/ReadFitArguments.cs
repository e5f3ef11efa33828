using System.Buffers.Binary;

namespace Vnvdimm.Formats.Dsm;

/// <summary>Arg3 of the QEMU-private Read FIT function: the u32 offset into the FIT to read from.</summary>
public readonly record struct ReadFitArguments(uint Offset)
{
    public const int OffsetOffset = 0;
    public const int Size = OffsetOffset + sizeof(uint);

    /// <summary>4088: the most FIT bytes one reply carries; a reply with none marks the end.</summary>
    public const int MaxChunk = DsmPage.MaxPayloadLength;

    /// <summary>Reads the offset; false if <paramref name="arguments"/> holds fewer than 4 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> arguments, out ReadFitArguments result)
    {
        if (arguments.Length < Size)
        {
            result = default;
            return false;
        }
        result = new ReadFitArguments(BinaryPrimitives.ReadUInt32LittleEndian(arguments[OffsetOffset..]));
        return true;
    }

    public void WriteTo(Span<byte> arguments) => BinaryPrimitives.WriteUInt32LittleEndian(arguments[OffsetOffset..Size], Offset);
}
