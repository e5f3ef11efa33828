namespace Vnvdimm.Ndctl;

/// <summary>
/// A DIMM's persistent memory addressed by DPA (QEMU maps DPA 0 at backend offset 0): what a
/// namespace's info block and data are read from. <see cref="Size"/> is the pmem size, the region
/// a single QEMU DIMM forms.
/// </summary>
public interface IDimmMedia
{
    ulong Size { get; }

    /// <summary>Reads destination.Length bytes at <paramref name="dpa"/>.</summary>
    void Read(ulong dpa, Span<byte> destination);

    /// <summary>Writes <paramref name="source"/> at <paramref name="dpa"/> (info blocks, BTT metadata).</summary>
    void Write(ulong dpa, ReadOnlySpan<byte> source);

    /// <summary>
    /// Makes [<paramref name="dpa"/>, +<paramref name="length"/>) read as zeros (a BTT map). By
    /// default it writes zeros in 1 MiB chunks; an image file punches a hole instead, so a large
    /// map costs no disk blocks and no time.
    /// </summary>
    void Zero(ulong dpa, ulong length)
    {
        byte[] zeros = new byte[(int)Math.Min(length, 1UL << 20)];
        for (ulong done = 0; done < length; done += (ulong)zeros.Length)
        {
            Write(dpa + done, zeros.AsSpan(0, (int)Math.Min((ulong)zeros.Length, length - done)));
        }
    }
}
