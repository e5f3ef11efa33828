namespace Vnvdimm.Formats.Aml;

/// <summary>
/// PkgLength (ACPI 6.5 §20.2.4): 1 to 4 bytes; the lead byte's top two bits count the extra bytes,
/// a 1-byte form holds 6 bits, longer forms hold 4 bits in the lead byte and 8 in each extra byte.
/// </summary>
/// <remarks>
/// The size is chosen exactly as QEMU's <c>build_prepend_package_length</c> chooses it, so tables
/// match byte for byte: the thresholds compare the payload plus the candidate size against 2^6,
/// 2^12 and 2^20 even when the PkgLength does not count itself (named field widths), so a 63-bit
/// field takes two bytes (4F 03). iasl 20200925 encodes it the same way.
/// </remarks>
public static class AmlPkgLength
{
    /// <summary>The largest value a 4-byte PkgLength holds (28 bits).</summary>
    public const int MaxValue = (1 << 28) - 1;

    /// <summary>Bytes the PkgLength takes for <paramref name="length"/> bytes of payload.</summary>
    public static int GetEncodedSize(int length, bool includeSelf)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int size = length + 1 < 1 << 6 ? 1
            : length + 2 < 1 << 12 ? 2
            : length + 3 < 1 << 20 ? 3
            : 4;
        int encoded = includeSelf ? length + size : length;
        if (encoded > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "an AML package cannot exceed 2^28 - 1 bytes");
        }
        return size;
    }

    /// <summary>Writes the PkgLength into <paramref name="destination"/>; returns the bytes used.</summary>
    public static int Encode(int length, bool includeSelf, Span<byte> destination)
    {
        int size = GetEncodedSize(length, includeSelf);
        int value = includeSelf ? length + size : length;
        if (size == 1)
        {
            destination[0] = (byte)value;
            return 1;
        }
        destination[0] = (byte)(((size - 1) << 6) | (value & 0x0F));
        for (int i = 1; i < size; i++)
        {
            destination[i] = (byte)(value >> (4 + 8 * (i - 1)));
        }
        return size;
    }

    /// <summary>
    /// Decodes a PkgLength at the start of <paramref name="source"/>: the value it holds and the
    /// bytes it took. False when the span is too short or a 1-byte form uses bits 4-5 wrongly.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, out int value, out int size)
    {
        value = 0;
        size = 0;
        if (source.IsEmpty)
        {
            return false;
        }
        int lead = source[0];
        int extra = lead >> 6;
        if (source.Length < 1 + extra)
        {
            return false;
        }
        if (extra == 0)
        {
            value = lead & 0x3F;
            size = 1;
            return true;
        }
        if ((lead & 0x30) != 0)
        {
            // Bits 4-5 must be zero in the multi-byte form.
            return false;
        }
        value = lead & 0x0F;
        for (int i = 1; i <= extra; i++)
        {
            value |= source[i] << (4 + 8 * (i - 1));
        }
        size = 1 + extra;
        return true;
    }
}
