using System.Buffers.Binary;

namespace Vnvdimm.Formats.Labels;

/// <summary>
/// Fletcher-64 as Linux and ndctl compute it for index blocks, v1.2 labels, info blocks and
/// interleave-set cookies: 32-bit little-endian words, lo = (lo + w) mod 2^32, hi += lo, result
/// (hi &lt;&lt; 32) | lo. Ported from the kernel's include/linux/nd.h nd_fletcher64 (research §2.4).
/// </summary>
public static class Fletcher64
{
    /// <summary>Checksum of <paramref name="data"/> (length a multiple of 4).</summary>
    public static ulong Compute(ReadOnlySpan<byte> data)
    {
        uint lo = 0;
        ulong hi = 0;
        Accumulate(data, ref lo, ref hi);
        return Combine(lo, hi);
    }

    /// <summary>
    /// Checksum of <paramref name="data"/> with the 8-byte field at <paramref name="checksumOffset"/>
    /// counted as zero, so stored structures are verified without copying or mutating them.
    /// </summary>
    public static ulong Compute(ReadOnlySpan<byte> data, int checksumOffset)
    {
        uint lo = 0;
        ulong hi = 0;
        Accumulate(data[..checksumOffset], ref lo, ref hi);
        // Two zero words leave lo unchanged and add it to hi twice.
        hi += 2UL * lo;
        Accumulate(data[(checksumOffset + sizeof(ulong))..], ref lo, ref hi);
        return Combine(lo, hi);
    }

    /// <summary>Computes the checksum with the field treated as zero and stores it there, little-endian.</summary>
    public static void Update(Span<byte> data, int checksumOffset) =>
        BinaryPrimitives.WriteUInt64LittleEndian(data[checksumOffset..], Compute(data, checksumOffset));

    /// <summary>Whether the stored little-endian checksum at <paramref name="checksumOffset"/> matches.</summary>
    public static bool IsValid(ReadOnlySpan<byte> data, int checksumOffset) =>
        BinaryPrimitives.ReadUInt64LittleEndian(data[checksumOffset..]) == Compute(data, checksumOffset);

    private static void Accumulate(ReadOnlySpan<byte> data, ref uint lo, ref ulong hi)
    {
        if (data.Length % sizeof(uint) != 0)
        {
            throw new ArgumentException("Fletcher-64 input must be a whole number of 32-bit words.", nameof(data));
        }
        for (int i = 0; i < data.Length; i += sizeof(uint))
        {
            lo += BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            hi += lo;
        }
    }

    private static ulong Combine(uint lo, ulong hi) => (hi << 32) | lo;
}
