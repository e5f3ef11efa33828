namespace Vnvdimm.Formats.Aml;

/// <summary>A method argument, Arg0 to Arg6 (one opcode byte each).</summary>
public sealed class AmlArg : AmlObject
{
    private static readonly AmlArg[] All = [.. Enumerable.Range(0, 7).Select(i => new AmlArg(i))];

    private AmlArg(int number) => Number = number;

    public int Number { get; }

    public static AmlArg Arg0 => All[0];
    public static AmlArg Arg1 => All[1];
    public static AmlArg Arg2 => All[2];
    public static AmlArg Arg3 => All[3];
    public static AmlArg Arg4 => All[4];
    public static AmlArg Arg5 => All[5];
    public static AmlArg Arg6 => All[6];

    public static AmlArg Get(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, 6);
        return All[number];
    }

    public override int Length => 1;

    public override void WriteTo(AmlWriter writer) => writer.WriteOpcode(AmlOpcode.Arg0 + (ushort)Number);

    public override string ToString() => $"Arg{Number}";
}
