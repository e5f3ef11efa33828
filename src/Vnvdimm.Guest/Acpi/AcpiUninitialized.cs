namespace Vnvdimm.Guest.Acpi;

/// <summary>No object: a package element that was never initialised or whose name did not resolve.</summary>
public sealed class AcpiUninitialized : AcpiObject
{
    private AcpiUninitialized()
    {
    }

    public static AcpiUninitialized Instance { get; } = new();

    public override AcpiObjectType Type => AcpiObjectType.Uninitialized;

    public override string ToString() => "Uninitialized";
}
