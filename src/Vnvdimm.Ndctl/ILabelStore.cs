namespace Vnvdimm.Ndctl;

/// <summary>
/// A DIMM's label storage area as ndctl reaches it (the kernel's get/set-config-data; offline, the
/// tail of a backend file): <see cref="Size"/> bytes addressed from 0.
/// </summary>
public interface ILabelStore
{
    /// <summary>Label area size in bytes (the config size).</summary>
    int Size { get; }

    /// <summary>Reads destination.Length bytes at <paramref name="offset"/>.</summary>
    void Read(int offset, Span<byte> destination);

    /// <summary>Writes <paramref name="source"/> at <paramref name="offset"/>.</summary>
    void Write(int offset, ReadOnlySpan<byte> source);
}
