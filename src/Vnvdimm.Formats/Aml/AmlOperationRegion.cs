namespace Vnvdimm.Formats.Aml;

/// <summary>ASL <c>OperationRegion(name, space, offset, length)</c>: 5B 80, NameString, space byte, two TermArgs.</summary>
public sealed class AmlOperationRegion(string name, AmlRegionSpace space, AmlObject offset, AmlObject length) : AmlObject
{
    public AmlNameString Name { get; } = new(name);

    public AmlRegionSpace Space { get; } = space;

    public AmlObject Offset { get; } = offset ?? throw new ArgumentNullException(nameof(offset));

    public AmlObject RegionLength { get; } = length ?? throw new ArgumentNullException(nameof(length));

    public override int Length => 2 + Name.Length + 1 + Offset.Length + RegionLength.Length;

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(AmlOpcode.OperationRegion);
        Name.WriteTo(writer);
        writer.WriteByte((byte)Space);
        Offset.WriteTo(writer);
        RegionLength.WriteTo(writer);
    }
}
