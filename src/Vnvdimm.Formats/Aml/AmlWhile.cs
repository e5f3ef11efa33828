namespace Vnvdimm.Formats.Aml;

/// <summary>ASL <c>While(predicate) { ... }</c>: WhileOp, PkgLength, Predicate, TermList.</summary>
public sealed class AmlWhile(AmlObject predicate) : AmlTermContainer(AmlOpcode.While)
{
    public AmlObject Predicate { get; } = predicate ?? throw new ArgumentNullException(nameof(predicate));

    protected override int HeaderLength => Predicate.Length;

    protected override void WriteHeader(AmlWriter writer) => Predicate.WriteTo(writer);
}
