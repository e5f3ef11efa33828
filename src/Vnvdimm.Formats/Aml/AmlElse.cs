namespace Vnvdimm.Formats.Aml;

/// <summary>
/// ASL <c>Else { ... }</c>: ElseOp, PkgLength, TermList. <c>ElseIf</c> is an Else holding an If
/// (and that If's own Else), which is how QEMU encodes it.
/// </summary>
public sealed class AmlElse() : AmlTermContainer(AmlOpcode.Else)
{
    protected override int HeaderLength => 0;

    protected override void WriteHeader(AmlWriter writer)
    {
    }
}
