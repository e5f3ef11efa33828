namespace Vnvdimm.Formats.Aml;

/// <summary>A method's local variable, Local0 to Local7 (one opcode byte each).</summary>
public sealed class AmlLocal : AmlObject
{
    private static readonly AmlLocal[] All = [.. Enumerable.Range(0, 8).Select(i => new AmlLocal(i))];

    private AmlLocal(int number) => Number = number;

    public int Number { get; }

    public static AmlLocal Local0 => All[0];
    public static AmlLocal Local1 => All[1];
    public static AmlLocal Local2 => All[2];
    public static AmlLocal Local3 => All[3];
    public static AmlLocal Local4 => All[4];
    public static AmlLocal Local5 => All[5];
    public static AmlLocal Local6 => All[6];
    public static AmlLocal Local7 => All[7];

    public static AmlLocal Get(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 7);
        return All[number];
    }

    public override int Length => 1;

    public override void WriteTo(AmlWriter writer) => writer.WriteOpcode(AmlOpcode.Local0 + (ushort)Number);

    public override string ToString() => $"Local{Number}";
}
