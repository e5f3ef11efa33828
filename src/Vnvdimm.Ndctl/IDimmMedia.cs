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
}
