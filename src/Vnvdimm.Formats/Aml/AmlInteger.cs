namespace Vnvdimm.Formats.Aml;

/// <summary>
/// An Integer constant in its shortest form, as QEMU's <c>aml_int</c> writes it: ZeroOp, OneOp,
/// then Byte/Word/DWord/QWord prefixes. <see cref="DWord"/> forces the 4-byte form for values
/// the firmware patches in place (MEMA).
/// </summary>
public sealed class AmlInteger : AmlObject
{
    private readonly AmlOpcode _form;

    public AmlInteger(ulong value)
    {
        Value = value;
        _form = value switch
        {
            0 => AmlOpcode.Zero,
            1 => AmlOpcode.One,
            <= byte.MaxValue => AmlOpcode.BytePrefix,
            <= ushort.MaxValue => AmlOpcode.WordPrefix,
            <= uint.MaxValue => AmlOpcode.DWordPrefix,
            _ => AmlOpcode.QWordPrefix,
        };
    }

    private AmlInteger(ulong value, AmlOpcode form)
    {
        Value = value;
        _form = form;
    }

    public static AmlInteger Zero { get; } = new(0);

    public static AmlInteger One { get; } = new(1);

    /// <summary>Always DWordPrefix plus 4 bytes, so the value can be patched later without moving anything.</summary>
    public static AmlInteger DWord(uint value) => new(value, AmlOpcode.DWordPrefix);

    public ulong Value { get; }

    public override int Length => _form switch
    {
        AmlOpcode.Zero or AmlOpcode.One => 1,
        AmlOpcode.BytePrefix => 2,
        AmlOpcode.WordPrefix => 3,
        AmlOpcode.DWordPrefix => 5,
        _ => 9,
    };

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(_form);
        switch (_form)
        {
            case AmlOpcode.BytePrefix:
                writer.WriteByte((byte)Value);
                break;
            case AmlOpcode.WordPrefix:
                writer.WriteWord((ushort)Value);
                break;
            case AmlOpcode.DWordPrefix:
                writer.WriteDWord((uint)Value);
                break;
            case AmlOpcode.QWordPrefix:
                writer.WriteQWord(Value);
                break;
        }
    }
}
