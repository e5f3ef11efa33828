namespace Vnvdimm.Guest.Acpi;

/// <summary>An Integer. Immutable, so the interpreter shares instances freely.</summary>
public sealed class AcpiInteger : AcpiObject
{
    private static readonly AcpiInteger[] Small = CreateSmall();

    public AcpiInteger(ulong value) => Value = value;

    public ulong Value { get; }

    public static AcpiInteger Zero => Small[0];

    public static AcpiInteger One => Small[1];

    public override AcpiObjectType Type => AcpiObjectType.Integer;

    public override string ToString() => $"Integer(0x{Value:X})";

    /// <summary>A shared instance for small values, a new one otherwise (keeps loops allocation-light).</summary>
    internal static AcpiInteger From(ulong value) => value < (ulong)Small.Length ? Small[value] : new AcpiInteger(value);

    private static AcpiInteger[] CreateSmall()
    {
        var small = new AcpiInteger[256];
        for (int i = 0; i < small.Length; i++)
        {
            small[i] = new AcpiInteger((ulong)i);
        }
        return small;
    }
}
