using System.Collections;

namespace Vnvdimm.Formats.Aml;

/// <summary>
/// ASL <c>Field(region, access, lock, update) { NAME, bits, ... }</c>: 5B 81, PkgLength, region
/// NameString, FieldFlags, then per element a NameSeg and its width in bits as a PkgLength that
/// does not count itself (QEMU's <c>aml_named_field</c>). <c>Offset(n)</c> is a reserved element.
/// </summary>
public sealed class AmlField : AmlObject, IEnumerable<KeyValuePair<string, int>>
{
    private const int NameSegLength = 4;

    private readonly List<(AmlNameString? Name, int Bits)> _elements = [];
    private int _bodyLength = -1;

    public AmlField(string region, AmlFieldAccessType access, AmlFieldLockRule lockRule, AmlFieldUpdateRule updateRule)
    {
        Region = new AmlNameString(region);
        Flags = (byte)((byte)access | ((byte)lockRule << 4) | ((byte)updateRule << 5));
    }

    public AmlNameString Region { get; }

    public byte Flags { get; }

    /// <summary>Adds a named field of <paramref name="bits"/> bits; the name is a single NameSeg.</summary>
    public void Add(string name, int bits)
    {
        var nameSeg = new AmlNameString(name);
        if (nameSeg.Length != NameSegLength)
        {
            throw new ArgumentException($"a field element name is one NameSeg, not '{name}'", nameof(name));
        }
        AddElement(nameSeg, bits);
    }

    /// <summary>Skips <paramref name="bits"/> bits (a ReservedField, 0x00 then PkgLength).</summary>
    public void AddReserved(int bits) => AddElement(null, bits);

    private void AddElement(AmlNameString? name, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bits);
        if (_bodyLength >= 0)
        {
            throw new InvalidOperationException("Field was already measured or written; add every element before encoding it");
        }
        _elements.Add((name, bits));
    }

    private int BodyLength
    {
        get
        {
            if (_bodyLength < 0)
            {
                int length = Region.Length + 1;
                foreach ((AmlNameString? name, int bits) in _elements)
                {
                    length += (name?.Length ?? 1) + AmlPkgLength.GetEncodedSize(bits, includeSelf: false);
                }
                _bodyLength = length;
            }
            return _bodyLength;
        }
    }

    public override int Length => 2 + AmlPkgLength.GetEncodedSize(BodyLength, includeSelf: true) + BodyLength;

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(AmlOpcode.Field);
        writer.WritePkgLength(BodyLength, includeSelf: true);
        Region.WriteTo(writer);
        writer.WriteByte(Flags);
        foreach ((AmlNameString? name, int bits) in _elements)
        {
            if (name is null)
            {
                writer.WriteByte(0x00);
            }
            else
            {
                name.WriteTo(writer);
            }
            writer.WritePkgLength(bits, includeSelf: false);
        }
    }

    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() =>
        _elements.Select(e => new KeyValuePair<string, int>(e.Name?.Path ?? string.Empty, e.Bits)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
