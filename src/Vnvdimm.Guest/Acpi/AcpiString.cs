namespace Vnvdimm.Guest.Acpi;

/// <summary>A String (ASCII, without its terminating NUL).</summary>
public sealed class AcpiString : AcpiObject
{
    public AcpiString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    public string Value { get; }

    public override AcpiObjectType Type => AcpiObjectType.String;

    public override string ToString() => $"String(\"{Value}\")";
}
