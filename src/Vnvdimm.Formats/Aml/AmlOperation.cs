namespace Vnvdimm.Formats.Aml;

/// <summary>
/// An operator applied to fixed operands: the opcode followed by each operand's encoding
/// (Store, LEqual, Add, Index, Notify, Return, CreateField, ...). <see cref="Asl"/> builds these
/// with the operand order and optional targets of each ASL operator.
/// </summary>
public sealed class AmlOperation : AmlObject
{
    private readonly AmlObject[] _operands;
    private readonly int _length;

    public AmlOperation(AmlOpcode opcode, params AmlObject[] operands)
        : this(opcode, operands, copyOperands: true)
    {
    }

    // The factory methods pass their own params arrays, which nobody else holds, uncopied.
    internal AmlOperation(AmlOpcode opcode, AmlObject[] operands, bool copyOperands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        Opcode = opcode;
        _operands = copyOperands ? [.. operands] : operands;
        _length = AmlWriter.GetOpcodeSize(opcode);
        foreach (AmlObject operand in _operands)
        {
            ArgumentNullException.ThrowIfNull(operand, nameof(operands));
            _length += operand.Length;
        }
    }

    public AmlOpcode Opcode { get; }

    public IReadOnlyList<AmlObject> Operands => _operands;

    public override int Length => _length;

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(Opcode);
        foreach (AmlObject operand in _operands)
        {
            operand.WriteTo(writer);
        }
    }
}
