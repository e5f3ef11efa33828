namespace Vnvdimm.Guest.Acpi;

/// <summary>Bit-granular copies between byte arrays, little-endian bit order (bit 0 = LSB of byte 0).</summary>
internal static class AmlBits
{
    /// <summary>Copies bits [sourceBit, sourceBit + count) of <paramref name="source"/> to bits [0, count) of <paramref name="destination"/>; bits above count in the last byte are cleared.</summary>
    public static void Extract(ReadOnlySpan<byte> source, long sourceBit, int count, Span<byte> destination)
    {
        int byteCount = (count + 7) / 8;
        int shift = (int)(sourceBit & 7);
        int first = (int)(sourceBit >> 3);
        if (shift == 0)
        {
            source.Slice(first, byteCount).CopyTo(destination);
        }
        else
        {
            for (int i = 0; i < byteCount; i++)
            {
                int low = source[first + i] >> shift;
                int high = first + i + 1 < source.Length ? source[first + i + 1] << (8 - shift) : 0;
                destination[i] = (byte)(low | high);
            }
        }
        if ((count & 7) != 0)
        {
            destination[byteCount - 1] &= (byte)((1 << (count & 7)) - 1);
        }
    }

    /// <summary>Copies bits [0, count) of <paramref name="source"/> to bits [destinationBit, destinationBit + count) of <paramref name="destination"/>, leaving other bits alone.</summary>
    public static void Insert(Span<byte> destination, long destinationBit, int count, ReadOnlySpan<byte> source)
    {
        if ((destinationBit & 7) == 0)
        {
            int first = (int)(destinationBit >> 3);
            int whole = count / 8;
            source[..whole].CopyTo(destination[first..]);
            int rest = count & 7;
            if (rest != 0)
            {
                byte mask = (byte)((1 << rest) - 1);
                destination[first + whole] = (byte)((destination[first + whole] & ~mask) | (source[whole] & mask));
            }
            return;
        }
        for (int i = 0; i < count; i++)
        {
            long position = destinationBit + i;
            int index = (int)(position >> 3);
            int bit = 1 << (int)(position & 7);
            if ((source[i >> 3] & (1 << (i & 7))) != 0)
            {
                destination[index] |= (byte)bit;
            }
            else
            {
                destination[index] &= (byte)~bit;
            }
        }
    }
}
