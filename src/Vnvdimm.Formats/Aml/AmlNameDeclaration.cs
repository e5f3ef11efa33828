namespace Vnvdimm.Formats.Aml;

/// <summary>ASL <c>Name(NAME, value)</c>: NameOp, the name, the data object.</summary>
public sealed class AmlNameDeclaration(string name, AmlObject value) : AmlObject
{
    public AmlNameString Name { get; } = new(name);

    public AmlObject Value { get; } = value ?? throw new ArgumentNullException(nameof(value));

    public override int Length => 1 + Name.Length + Value.Length;

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(AmlOpcode.Name);
        Name.WriteTo(writer);
        Value.WriteTo(writer);
    }
}
