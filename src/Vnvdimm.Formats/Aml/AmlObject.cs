using System.Buffers;

namespace Vnvdimm.Formats.Aml;

/// <summary>
/// Anything that encodes itself as AML: a term, a data object or a name. <see cref="Length"/> is
/// known before writing so containers can emit their PkgLength first.
/// </summary>
public abstract class AmlObject
{
    /// <summary>Encoded size in bytes.</summary>
    public abstract int Length { get; }

    public abstract void WriteTo(AmlWriter writer);

    /// <summary>The encoding as a new array.</summary>
    public byte[] ToArray()
    {
        var buffer = new ArrayBufferWriter<byte>(Length);
        WriteTo(new AmlWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }
}
