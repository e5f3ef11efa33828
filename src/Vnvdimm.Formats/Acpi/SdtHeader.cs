using System.Buffers.Binary;
using System.Text;

namespace Vnvdimm.Formats.Acpi;

/// <summary>
/// A System Description Table header. OEM ID and OEM Table ID shorter than their fields are
/// padded with NUL bytes (QEMU since 7.0); reading strips trailing NULs and keeps spaces, so
/// "BOCHS " round-trips.
/// </summary>
public readonly record struct SdtHeader(
    string Signature,
    uint Length,
    byte Revision,
    byte Checksum,
    string OemId,
    string OemTableId,
    uint OemRevision,
    string CreatorId,
    uint CreatorRevision)
{
    /// <summary>Writes the header into the first <see cref="SdtHeaderLayout.Size"/> bytes; throws if a text field does not fit.</summary>
    public void WriteTo(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, SdtHeaderLayout.Size, nameof(destination));
        WriteText(destination.Slice(SdtHeaderLayout.SignatureOffset, SdtHeaderLayout.SignatureLength), Signature, exact: true, nameof(Signature));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SdtHeaderLayout.LengthOffset..], Length);
        destination[SdtHeaderLayout.RevisionOffset] = Revision;
        destination[SdtHeaderLayout.ChecksumOffset] = Checksum;
        WriteText(destination.Slice(SdtHeaderLayout.OemIdOffset, SdtHeaderLayout.OemIdLength), OemId, exact: false, nameof(OemId));
        WriteText(destination.Slice(SdtHeaderLayout.OemTableIdOffset, SdtHeaderLayout.OemTableIdLength), OemTableId, exact: false, nameof(OemTableId));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SdtHeaderLayout.OemRevisionOffset..], OemRevision);
        WriteText(destination.Slice(SdtHeaderLayout.CreatorIdOffset, SdtHeaderLayout.CreatorIdLength), CreatorId, exact: true, nameof(CreatorId));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[SdtHeaderLayout.CreatorRevisionOffset..], CreatorRevision);
    }

    /// <summary>
    /// Parses a header. Fails when the span is shorter than 36 bytes or than the Length field,
    /// or when Length is below 36; the checksum is not verified (see <see cref="AcpiChecksum"/>).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SdtHeader header, out string? error)
    {
        header = default;
        if (source.Length < SdtHeaderLayout.Size)
        {
            error = $"{source.Length} bytes cannot hold a {SdtHeaderLayout.Size}-byte table header";
            return false;
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(source[SdtHeaderLayout.LengthOffset..]);
        if (length < SdtHeaderLayout.Size)
        {
            error = $"table length {length} is shorter than its header";
            return false;
        }
        if (length > (uint)source.Length)
        {
            error = $"table length {length} exceeds the {source.Length} bytes available";
            return false;
        }
        header = new SdtHeader(
            ReadText(source.Slice(SdtHeaderLayout.SignatureOffset, SdtHeaderLayout.SignatureLength)),
            length,
            source[SdtHeaderLayout.RevisionOffset],
            source[SdtHeaderLayout.ChecksumOffset],
            ReadText(source.Slice(SdtHeaderLayout.OemIdOffset, SdtHeaderLayout.OemIdLength)),
            ReadText(source.Slice(SdtHeaderLayout.OemTableIdOffset, SdtHeaderLayout.OemTableIdLength)),
            BinaryPrimitives.ReadUInt32LittleEndian(source[SdtHeaderLayout.OemRevisionOffset..]),
            ReadText(source.Slice(SdtHeaderLayout.CreatorIdOffset, SdtHeaderLayout.CreatorIdLength)),
            BinaryPrimitives.ReadUInt32LittleEndian(source[SdtHeaderLayout.CreatorRevisionOffset..]));
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="value"/> fits a NUL-padded field of <paramref name="fieldLength"/> printable ASCII bytes.</summary>
    public static bool IsValidText(string value, int fieldLength) =>
        value.Length <= fieldLength && value.All(c => c is >= ' ' and <= '~');

    private static void WriteText(Span<byte> field, string value, bool exact, string name)
    {
        if (!IsValidText(value, field.Length) || (exact && value.Length != field.Length))
        {
            string size = exact ? $"exactly {field.Length}" : $"at most {field.Length}";
            throw new ArgumentException($"{name} '{value}' must be {size} printable ASCII characters");
        }
        field.Clear();
        Encoding.ASCII.GetBytes(value, field);
    }

    // Latin-1 keeps every byte as one char, so odd firmware tables still round-trip.
    private static string ReadText(ReadOnlySpan<byte> field) => Encoding.Latin1.GetString(field.TrimEnd((byte)0));
}
