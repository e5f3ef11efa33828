namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// An object reference: what RefOf and Index produce, and what a package element naming a device or
/// method becomes. <see cref="TargetPath"/> names the referenced namespace object when there is one.
/// </summary>
public abstract class AcpiReference : AcpiObject
{
    private protected AcpiReference()
    {
    }

    public override AcpiObjectType Type => AcpiObjectType.Reference;

    /// <summary>The referenced object's path (e.g. <c>\_SB.NVDR</c>), or null for Index and local references.</summary>
    public virtual string? TargetPath => null;

    /// <summary>The referenced object's current value (DerefOf).</summary>
    internal abstract AcpiObject Dereference(AmlFrame frame, int offset);

    /// <summary>The referenced object itself, unread (for SizeOf and ObjectType), or null if it holds nothing.</summary>
    internal abstract AcpiObject? Target(AmlFrame frame);

    /// <summary>Stores through the reference.</summary>
    internal abstract void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, int offset);

    public override string ToString() => $"Reference({TargetPath ?? "index/local"})";
}
