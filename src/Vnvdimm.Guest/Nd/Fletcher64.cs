using System.Buffers.Binary;

namespace Vnvdimm.Guest.Nd;

/// <summary>
/// Linux's nd_fletcher64: 32-bit little-endian words, a 32-bit low sum and a 64-bit high sum,
/// result (high mod 2^32) &lt;&lt; 32 | low. Used by label index blocks and interleave-set cookies.
/// </summary>
public static class Fletcher64
{
    /// <param name="data">A multiple of 4 bytes.</param>
    /// <param name="skip">Byte offset of an 8-byte checksum field to read as zero, or -1.</param>
    public static ulong Compute(ReadOnlySpan<byte> data, int skip = -1)
    {
        uint low = 0;
        ulong high = 0;
        for (int i = 0; i + sizeof(uint) <= data.Length; i += sizeof(uint))
        {
            uint word = skip >= 0 && i >= skip && i < skip + sizeof(ulong) ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            low += word;
            high += low;
        }
        return (high << 32) | low;
    }
}
