namespace Vnvdimm.Formats.Aml;

/// <summary>A Package of up to 255 elements: PackageOp, PkgLength, NumElements (one byte), elements.</summary>
public sealed class AmlPackage : AmlObject
{
    private readonly AmlObject[] _elements;
    private readonly int _bodyLength;

    public AmlPackage(params AmlObject[] elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.Length > byte.MaxValue)
        {
            throw new ArgumentException($"a Package holds at most 255 elements, not {elements.Length}", nameof(elements));
        }
        _elements = [.. elements];
        _bodyLength = 1;
        foreach (AmlObject element in _elements)
        {
            _bodyLength += element.Length;
        }
    }

    public IReadOnlyList<AmlObject> Elements => _elements;

    public override int Length => 1 + AmlPkgLength.GetEncodedSize(_bodyLength, includeSelf: true) + _bodyLength;

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(AmlOpcode.Package);
        writer.WritePkgLength(_bodyLength, includeSelf: true);
        writer.WriteByte((byte)_elements.Length);
        foreach (AmlObject element in _elements)
        {
            element.WriteTo(writer);
        }
    }
}
