namespace Vnvdimm.Formats.Aml;

/// <summary>ASL <c>If(predicate) { ... }</c>: IfOp, PkgLength, Predicate, TermList. An <see cref="AmlElse"/> follows as the next sibling.</summary>
public sealed class AmlIf(AmlObject predicate) : AmlTermContainer(AmlOpcode.If)
{
    public AmlObject Predicate { get; } = predicate ?? throw new ArgumentNullException(nameof(predicate));

    protected override int HeaderLength => Predicate.Length;

    protected override void WriteHeader(AmlWriter writer) => Predicate.WriteTo(writer);
}
