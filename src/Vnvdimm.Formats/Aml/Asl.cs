namespace Vnvdimm.Formats.Aml;

/// <summary>
/// ASL operators as AML objects, named and ordered as in ASL so builder code reads like the
/// disassembly. An omitted target is written as NullName (0x00), as QEMU does.
/// </summary>
public static class Asl
{
    /// <summary>A reference to a named object, e.g. <c>Asl.Path("\\_SB.NVDR")</c>.</summary>
    public static AmlNameString Path(string path) => new(path);

    /// <summary>An Integer in its shortest encoding.</summary>
    public static AmlInteger Int(ulong value) => new(value);

    /// <summary><c>ToUUID("...")</c>: a 16-byte Buffer in ACPI's mixed-endian order (first three fields little-endian), which is <see cref="Guid"/>'s own byte layout.</summary>
    public static AmlBuffer ToUuid(string uuid)
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.Parse(uuid).TryWriteBytes(bytes, bigEndian: false, out _);
        return new AmlBuffer(bytes);
    }

    public static AmlNameDeclaration Name(string name, AmlObject value) => new(name, value);

    public static AmlOperation Store(AmlObject source, AmlObject destination) => Operation(AmlOpcode.Store, source, destination);

    public static AmlOperation Return(AmlObject value) => Operation(AmlOpcode.Return, value);

    public static AmlOperation Notify(AmlObject device, AmlObject value) => Operation(AmlOpcode.Notify, device, value);

    public static AmlOperation LEqual(AmlObject left, AmlObject right) => Operation(AmlOpcode.LEqual, left, right);

    /// <summary><c>LNotEqual</c> has no opcode of its own: it is LNot(LEqual(...)).</summary>
    public static AmlOperation LNotEqual(AmlObject left, AmlObject right) => LNot(LEqual(left, right));

    public static AmlOperation LLess(AmlObject left, AmlObject right) => Operation(AmlOpcode.LLess, left, right);

    public static AmlOperation LGreater(AmlObject left, AmlObject right) => Operation(AmlOpcode.LGreater, left, right);

    public static AmlOperation LNot(AmlObject operand) => Operation(AmlOpcode.LNot, operand);

    public static AmlOperation LAnd(AmlObject left, AmlObject right) => Operation(AmlOpcode.LAnd, left, right);

    public static AmlOperation LOr(AmlObject left, AmlObject right) => Operation(AmlOpcode.LOr, left, right);

    public static AmlOperation Add(AmlObject left, AmlObject right, AmlObject? target = null) => Operation(AmlOpcode.Add, left, right, target ?? AmlNameString.Null);

    public static AmlOperation Subtract(AmlObject left, AmlObject right, AmlObject? target = null) => Operation(AmlOpcode.Subtract, left, right, target ?? AmlNameString.Null);

    public static AmlOperation ShiftLeft(AmlObject value, AmlObject count, AmlObject? target = null) => Operation(AmlOpcode.ShiftLeft, value, count, target ?? AmlNameString.Null);

    public static AmlOperation Concatenate(AmlObject first, AmlObject second, AmlObject? target = null) => Operation(AmlOpcode.Concatenate, first, second, target ?? AmlNameString.Null);

    public static AmlOperation Increment(AmlObject addend) => Operation(AmlOpcode.Increment, addend);

    public static AmlOperation Index(AmlObject source, AmlObject index, AmlObject? target = null) => Operation(AmlOpcode.Index, source, index, target ?? AmlNameString.Null);

    public static AmlOperation DerefOf(AmlObject reference) => Operation(AmlOpcode.DerefOf, reference);

    public static AmlOperation SizeOf(AmlObject obj) => Operation(AmlOpcode.SizeOf, obj);

    public static AmlOperation ObjectType(AmlObject obj) => Operation(AmlOpcode.ObjectType, obj);

    public static AmlOperation ToBuffer(AmlObject source, AmlObject? target = null) => Operation(AmlOpcode.ToBuffer, source, target ?? AmlNameString.Null);

    /// <summary><c>CreateDWordField(source, byteIndex, name)</c>.</summary>
    public static AmlOperation CreateDWordField(AmlObject source, AmlObject byteIndex, string name) =>
        Operation(AmlOpcode.CreateDWordField, source, byteIndex, new AmlNameString(name));

    /// <summary><c>CreateField(source, bitIndex, numBits, name)</c>.</summary>
    public static AmlOperation CreateField(AmlObject source, AmlObject bitIndex, AmlObject numBits, string name) =>
        Operation(AmlOpcode.CreateField, source, bitIndex, numBits, new AmlNameString(name));

    /// <summary>A method invocation <c>method(arguments...)</c>.</summary>
    public static AmlMethodCall Call(string method, params AmlObject[] arguments) => new(method, arguments);

    private static AmlOperation Operation(AmlOpcode opcode, params AmlObject[] operands) => new(opcode, operands, copyOperands: false);
}
