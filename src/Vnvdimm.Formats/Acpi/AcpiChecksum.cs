using System.Numerics;

namespace Vnvdimm.Formats.Acpi;

/// <summary>
/// The ACPI table checksum: all bytes of a table, checksum included, sum to zero modulo 256.
/// Sums run a vector at a time; byte lanes wrap, which is exactly the modulo-256 sum we need.
/// </summary>
public static class AcpiChecksum
{
    /// <summary>Sum of <paramref name="data"/> modulo 256.</summary>
    public static byte Sum(ReadOnlySpan<byte> data)
    {
        Vector<byte> lanes = Vector<byte>.Zero;
        int width = Vector<byte>.Count;
        int i = 0;
        for (; i <= data.Length - width; i += width)
        {
            lanes += new Vector<byte>(data[i..]);
        }
        byte sum = Vector.Sum(lanes);
        foreach (byte tail in data[i..])
        {
            sum += tail;
        }
        return sum;
    }

    /// <summary>The checksum byte that makes <paramref name="table"/> sum to zero, ignoring whatever the field at <paramref name="checksumOffset"/> holds now.</summary>
    public static byte Compute(ReadOnlySpan<byte> table, int checksumOffset) =>
        (byte)(0 - (byte)(Sum(table) - table[checksumOffset]));

    /// <summary>Stores <see cref="Compute"/> at <paramref name="checksumOffset"/>.</summary>
    public static void Update(Span<byte> table, int checksumOffset) =>
        table[checksumOffset] = Compute(table, checksumOffset);

    public static bool IsValid(ReadOnlySpan<byte> table) => Sum(table) == 0;
}
