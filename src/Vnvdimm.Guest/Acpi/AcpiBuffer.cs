using System.Text;

namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// A Buffer. Its bytes can change while AML runs (Index stores, buffer fields alias it), so callers
/// get read-only views; what an evaluation returns is never touched again by the interpreter.
/// </summary>
public sealed class AcpiBuffer : AcpiObject
{
    /// <summary>A buffer holding a copy of <paramref name="bytes"/>.</summary>
    public AcpiBuffer(ReadOnlySpan<byte> bytes) => Data = bytes.ToArray();

    // Takes ownership of the array: the interpreter builds results in place without a second copy.
    internal AcpiBuffer(byte[] data, bool takeOwnership)
    {
        Data = takeOwnership ? data : (byte[])data.Clone();
    }

    public int Length => Data.Length;

    public ReadOnlySpan<byte> Span => Data;

    public ReadOnlyMemory<byte> Memory => Data;

    public override AcpiObjectType Type => AcpiObjectType.Buffer;

    /// <summary>The contents; replaced only when a store grows an empty named buffer (ACPICA's rule).</summary>
    internal byte[] Data { get; set; }

    public byte[] ToArray() => (byte[])Data.Clone();

    public override string ToString()
    {
        var text = new StringBuilder($"Buffer({Data.Length}){{");
        int shown = Math.Min(Data.Length, 32);
        for (int i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? "" : " ").Append(Data[i].ToString("X2"));
        }
        return text.Append(Data.Length > shown ? " …}" : "}").ToString();
    }
}
