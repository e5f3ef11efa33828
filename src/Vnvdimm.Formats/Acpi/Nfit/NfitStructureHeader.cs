using System.Buffers.Binary;

namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>The Type and Length words that start every NFIT structure; used to walk a FIT.</summary>
public readonly record struct NfitStructureHeader(NfitStructureType Type, ushort Length)
{
    public const int Size = 4;
    public const int TypeOffset = 0;
    public const int LengthOffset = 2;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination[TypeOffset..], (ushort)Type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[LengthOffset..], Length);
    }

    /// <summary>Reads the header and checks that the structure's Length is at least 4 and fits in <paramref name="source"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out NfitStructureHeader header, out string? error)
    {
        header = default;
        if (source.Length < Size)
        {
            error = $"{source.Length} bytes left cannot hold an NFIT structure header";
            return false;
        }
        var type = (NfitStructureType)BinaryPrimitives.ReadUInt16LittleEndian(source[TypeOffset..]);
        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(source[LengthOffset..]);
        if (length < Size)
        {
            error = $"NFIT structure type {(ushort)type} has length {length}, shorter than its header";
            return false;
        }
        if (length > source.Length)
        {
            error = $"NFIT structure type {(ushort)type} has length {length} but only {source.Length} bytes remain";
            return false;
        }
        header = new NfitStructureHeader(type, length);
        error = null;
        return true;
    }

    /// <summary>Reads the header and checks the type and a minimum length for a specific structure.</summary>
    internal static bool TryReadExpected(ReadOnlySpan<byte> source, NfitStructureType expected, int minimumLength, out string? error)
    {
        if (!TryRead(source, out NfitStructureHeader header, out error))
        {
            return false;
        }
        if (header.Type != expected)
        {
            error = $"expected NFIT structure type {(ushort)expected} ({expected}), found {(ushort)header.Type}";
            return false;
        }
        if (header.Length < minimumLength)
        {
            error = $"{expected} structure length {header.Length} is shorter than {minimumLength}";
            return false;
        }
        return true;
    }
}
