namespace Vnvdimm.Formats.Aml;

/// <summary>
/// A Buffer with an explicit initializer: BufferOp, PkgLength, the size as an Integer, the bytes.
/// As in QEMU's <c>aml_buffer</c>, every byte is written, so <c>Buffer(8){0,...}</c> carries 8 zeros.
/// </summary>
public sealed class AmlBuffer : AmlObject
{
    private readonly byte[] _contents;
    private readonly AmlInteger _size;

    public AmlBuffer(ReadOnlySpan<byte> contents)
    {
        _contents = contents.ToArray();
        _size = new AmlInteger((ulong)_contents.Length);
    }

    /// <summary><c>Buffer(size) { 0, ... }</c> with every byte written out.</summary>
    public static AmlBuffer Zeroed(int size) => new(new byte[size]);

    /// <summary><c>Buffer(Zero) {}</c>.</summary>
    public static AmlBuffer Empty { get; } = new([]);

    public ReadOnlySpan<byte> Contents => _contents;

    private int BodyLength => _size.Length + _contents.Length;

    public override int Length => 1 + AmlPkgLength.GetEncodedSize(BodyLength, includeSelf: true) + BodyLength;

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(AmlOpcode.Buffer);
        writer.WritePkgLength(BodyLength, includeSelf: true);
        _size.WriteTo(writer);
        writer.WriteBytes(_contents);
    }
}
