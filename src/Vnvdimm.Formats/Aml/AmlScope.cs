namespace Vnvdimm.Formats.Aml;

/// <summary>ASL <c>Scope(name) { ... }</c>: ScopeOp, PkgLength, NameString, TermList.</summary>
public sealed class AmlScope(string name) : AmlTermContainer(AmlOpcode.Scope)
{
    public AmlNameString Name { get; } = new(name);

    protected override int HeaderLength => Name.Length;

    protected override void WriteHeader(AmlWriter writer) => Name.WriteTo(writer);
}
