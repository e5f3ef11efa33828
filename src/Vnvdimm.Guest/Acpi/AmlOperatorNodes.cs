using System.Numerics;
using AmlOpcode = Vnvdimm.Formats.Aml.AmlOpcode;

namespace Vnvdimm.Guest.Acpi;

/// <summary>Store (Source, Target) and CopyObject (Source, Target).</summary>
internal sealed class StoreNode(int offset, AmlNode source, AmlSuperName target, bool copyObject) : AmlNode(offset)
{
    public override bool ResultIsShared => true;

    public override AcpiObject Evaluate(AmlFrame frame)
    {
        AcpiObject value = source.Evaluate(frame, out bool shared);
        target.Store(frame, value, shared, copyObject);
        return value;
    }
}

/// <summary>Add, Subtract, Multiply, ShiftLeft/Right, And, Nand, Or, Nor, Xor, Mod: (Operand, Operand, Target).</summary>
internal sealed class BinaryIntegerNode(int offset, AmlOpcode opcode, AmlNode left, AmlNode right, AmlSuperName target) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        ulong a = Integer(left, frame);
        ulong b = Integer(right, frame);
        int width = frame.Interpreter.IntegerWidth;
        ulong value = opcode switch
        {
            AmlOpcode.Add => a + b,
            AmlOpcode.Subtract => a - b,
            AmlOpcode.Multiply => a * b,
            // Shifting by the integer width or more gives zero (ACPICA exoparg2.c).
            AmlOpcode.ShiftLeft => b >= (ulong)width ? 0 : a << (int)b,
            AmlOpcode.ShiftRight => b >= (ulong)width ? 0 : a >> (int)b,
            AmlOpcode.And => a & b,
            AmlOpcode.Nand => ~(a & b),
            AmlOpcode.Or => a | b,
            AmlOpcode.Nor => ~(a | b),
            AmlOpcode.Xor => a ^ b,
            AmlOpcode.Mod => b == 0 ? throw Error(frame, "AE_AML_DIVIDE_BY_ZERO: Mod by zero") : a % b,
            _ => throw Error(frame, $"AE_AML_BAD_OPCODE: 0x{(int)opcode:X2} is not a binary operator"),
        };
        AcpiInteger result = Result(value, frame);
        target.Store(frame, result, valueIsShared: false, copyObject: false);
        return result;
    }
}

/// <summary>Divide (Dividend, Divisor, Remainder, Result): returns the quotient.</summary>
internal sealed class DivideNode(int offset, AmlNode dividend, AmlNode divisor, AmlSuperName remainder, AmlSuperName quotient) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        ulong a = Integer(dividend, frame);
        ulong b = Integer(divisor, frame);
        if (b == 0)
        {
            throw Error(frame, "AE_AML_DIVIDE_BY_ZERO: Divide by zero");
        }
        AcpiInteger result = Result(a / b, frame);
        remainder.Store(frame, Result(a % b, frame), valueIsShared: false, copyObject: false);
        quotient.Store(frame, result, valueIsShared: false, copyObject: false);
        return result;
    }
}

/// <summary>Not, FindSetLeftBit, FindSetRightBit: (Operand, Target).</summary>
internal sealed class UnaryIntegerNode(int offset, AmlOpcode opcode, AmlNode operand, AmlSuperName target) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        ulong a = Integer(operand, frame);
        ulong value = opcode switch
        {
            AmlOpcode.Not => ~a,
            // 1-based bit numbers; 0 when no bit is set.
            AmlOpcode.FindSetLeftBit => a == 0 ? 0 : (ulong)(64 - BitOperations.LeadingZeroCount(a)),
            AmlOpcode.FindSetRightBit => a == 0 ? 0 : (ulong)(BitOperations.TrailingZeroCount(a) + 1),
            _ => throw Error(frame, $"AE_AML_BAD_OPCODE: 0x{(int)opcode:X2} is not a unary operator"),
        };
        AcpiInteger result = Result(value, frame);
        target.Store(frame, result, valueIsShared: false, copyObject: false);
        return result;
    }
}

/// <summary>Increment / Decrement (SuperName): read, add or subtract one, store back.</summary>
internal sealed class IncrementNode(int offset, bool increment, AmlSuperName operand) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        ulong value = Integer(operand, frame);
        AcpiInteger result = Result(increment ? value + 1 : value - 1, frame);
        operand.Store(frame, result, valueIsShared: false, copyObject: false);
        return result;
    }
}

/// <summary>LAnd, LOr (both operands are always evaluated: AML has no short circuit) and LNot.</summary>
internal sealed class LogicalNode(int offset, AmlOpcode opcode, AmlNode left, AmlNode? right) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        bool a = Integer(left, frame) != 0;
        if (opcode == AmlOpcode.LNot)
        {
            return Truth(!a, frame);
        }
        bool b = Integer(right!, frame) != 0;
        return Truth(opcode == AmlOpcode.LAnd ? a && b : a || b, frame);
    }
}

/// <summary>
/// LEqual, LGreater, LLess: the first operand's type decides; the second is converted to it. Strings
/// and buffers compare byte-wise, then by length (ACPICA exmisc.c).
/// </summary>
internal sealed class CompareNode(int offset, AmlOpcode opcode, AmlNode left, AmlNode right) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        AcpiObject a = left.Evaluate(frame);
        AcpiObject b = right.Evaluate(frame);
        int comparison;
        switch (a)
        {
            case AcpiInteger integer:
                comparison = (integer.Value & frame.Interpreter.IntegerMask).CompareTo(AmlConvert.ToInteger(b, frame, right.Offset));
                break;
            case AcpiString text:
                comparison = string.CompareOrdinal(text.Value, AmlConvert.ToImplicitString(b, frame, right.Offset));
                break;
            case AcpiBuffer buffer:
                comparison = buffer.Span.SequenceCompareTo(AmlConvert.ToBufferBytes(b, frame, right.Offset));
                break;
            default:
                throw Error(frame, $"AE_AML_OPERAND_TYPE: {AmlConvert.Describe(a)} cannot be compared");
        }
        bool result = opcode switch
        {
            AmlOpcode.LEqual => comparison == 0,
            AmlOpcode.LGreater => comparison > 0,
            _ => comparison < 0,
        };
        return Truth(result, frame);
    }
}

/// <summary>
/// Concatenate (Source1, Source2, Target): Integer + x → Buffer of two integers; String + x → String;
/// Buffer + x → Buffer (x converted: integers at integer width, strings with their NUL).
/// </summary>
internal sealed class ConcatenateNode(int offset, AmlNode left, AmlNode right, AmlSuperName target) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        AcpiObject a = left.Evaluate(frame);
        AcpiObject b = right.Evaluate(frame);
        AcpiObject result = a switch
        {
            AcpiInteger integer => Join(AmlConvert.IntegerBytes(integer.Value & frame.Interpreter.IntegerMask, frame), AmlConvert.IntegerBytes(AmlConvert.ToInteger(b, frame, right.Offset), frame)),
            AcpiString text => new AcpiString(text.Value + AmlConvert.ToImplicitString(b, frame, right.Offset)),
            AcpiBuffer buffer => Join(buffer.Data, AmlConvert.ToBufferBytes(b, frame, right.Offset)),
            _ => throw Error(frame, $"AE_AML_OPERAND_TYPE: cannot Concatenate {AmlConvert.Describe(a)}"),
        };
        target.Store(frame, result, valueIsShared: false, copyObject: false);
        return result;
    }

    private static AcpiBuffer Join(byte[] first, byte[] second)
    {
        var data = new byte[first.Length + second.Length];
        first.CopyTo(data, 0);
        second.CopyTo(data, first.Length);
        return new AcpiBuffer(data, takeOwnership: true);
    }
}

/// <summary>ToBuffer (Operand, Target) and ToInteger (Operand, Target).</summary>
internal sealed class ConvertNode(int offset, AmlOpcode opcode, AmlNode operand, AmlSuperName target) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        AcpiObject value = operand.Evaluate(frame, out bool shared);
        AcpiObject result;
        if (opcode == AmlOpcode.ToBuffer)
        {
            result = value switch
            {
                AcpiBuffer => value,
                AcpiInteger integer => new AcpiBuffer(AmlConvert.IntegerBytes(integer.Value & frame.Interpreter.IntegerMask, frame), takeOwnership: true),
                AcpiString text => new AcpiBuffer(AmlConvert.StringBytes(text.Value, withTerminator: true), takeOwnership: true),
                _ => throw Error(frame, $"AE_AML_OPERAND_TYPE: ToBuffer of {AmlConvert.Describe(value)}"),
            };
            shared &= ReferenceEquals(result, value);
        }
        else
        {
            result = value switch
            {
                AcpiString text => Result(AmlConvert.ParseExplicit(text.Value, frame), frame),
                _ => Result(AmlConvert.ToInteger(value, frame, operand.Offset), frame),
            };
            shared = false;
        }
        target.Store(frame, result, shared, copyObject: false);
        return result;
    }
}

/// <summary>DerefOf (ObjReference): the value a reference points at; a String names the object.</summary>
internal sealed class DerefOfNode(int offset, AmlNode operand) : AmlNode(offset)
{
    public AmlNode Operand { get; } = operand;

    public override bool ResultIsShared => true;

    public override AcpiObject Evaluate(AmlFrame frame) => Operand.Evaluate(frame) switch
    {
        AcpiReference reference => reference.Dereference(frame, Offset),
        AcpiString name => frame.Interpreter.ReadNode(FindByString(frame, name, Offset), frame, Offset),
        var other => throw Error(frame, $"AE_AML_OPERAND_TYPE: DerefOf needs a reference, not {AmlConvert.Describe(other)}"),
    };

    public static NamespaceNode FindByString(AmlFrame frame, AcpiString name, int offset)
    {
        AmlNamePath path;
        try
        {
            path = AmlNamePath.ParseUserPath(name.Value);
        }
        catch (ArgumentException)
        {
            throw new AmlException($"AE_BAD_PATHNAME: \"{name.Value}\" is not a name", frame.Table, offset);
        }
        return AmlNamespace.Lookup(frame.Scope, path, frame)
            ?? throw new AmlException($"AE_NOT_FOUND: {name.Value} does not exist", frame.Table, offset);
    }
}

/// <summary>Index (BuffPkgStrObj, IndexValue, Target): a reference to one element, aliasing the container.</summary>
internal sealed class IndexNode(int offset, AmlNode source, AmlNode index, AmlSuperName target) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        AcpiObject container = source.Evaluate(frame);
        for (int i = 0; i < 8 && container is AcpiReference reference; i++)
        {
            container = reference.Dereference(frame, Offset);
        }
        ulong position = Integer(index, frame);
        (int length, string status) = container switch
        {
            AcpiBuffer buffer => (buffer.Data.Length, "AE_AML_BUFFER_LIMIT"),
            AcpiString text => (text.Value.Length, "AE_AML_STRING_LIMIT"),
            AcpiPackage package => (package.Items.Length, "AE_AML_PACKAGE_LIMIT"),
            _ => throw Error(frame, $"AE_AML_OPERAND_TYPE: Index into {AmlConvert.Describe(container)}"),
        };
        if (position >= (ulong)length)
        {
            throw Error(frame, $"{status}: index 0x{position:X} is beyond the end of the object (length 0x{length:X})");
        }
        var result = new AcpiIndexReference(container, (int)position);
        target.Store(frame, result, valueIsShared: false, copyObject: false);
        return result;
    }
}

/// <summary>SizeOf (SuperName): bytes of a buffer or string, elements of a package, integer width for integers.</summary>
internal sealed class SizeOfNode(int offset, AmlSuperName operand) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        AcpiObject? value = ObjectTypeNode.Follow(operand.Resolve(frame), frame);
        ulong size = value switch
        {
            AcpiBuffer buffer => (ulong)buffer.Data.Length,
            AcpiString text => (ulong)text.Value.Length,
            AcpiPackage package => (ulong)package.Items.Length,
            // Not in the spec; ACPICA answers the integer width in bytes (exoparg1.c).
            AcpiInteger => (ulong)frame.Interpreter.IntegerByteWidth,
            _ => throw Error(frame, $"AE_AML_OPERAND_TYPE: SizeOf needs a Buffer, String, Package or Integer, not {AmlConvert.Describe(value)}"),
        };
        return Result(size, frame);
    }
}

/// <summary>ObjectType (SuperName), following references to what they refer to.</summary>
internal sealed class ObjectTypeNode(int offset, AmlSuperName operand) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        AcpiObject? value = Follow(operand.Resolve(frame), frame);
        return Result((ulong)(value?.Type ?? AcpiObjectType.Uninitialized), frame);
    }

    public static AcpiObject? Follow(AcpiObject? value, AmlFrame frame)
    {
        for (int i = 0; i < 8 && value is AcpiReference reference; i++)
        {
            value = reference.Target(frame);
        }
        return value;
    }
}

/// <summary>RefOf (SuperName).</summary>
internal sealed class RefOfNode(int offset, AmlSuperName operand) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame) => operand.MakeReference(frame);
}

/// <summary>CondRefOf (SuperName, Target): Ones and the reference if the object exists, else Zero.</summary>
internal sealed class CondRefOfNode(int offset, AmlSuperName operand, AmlSuperName target) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame)
    {
        if (operand is NameNode name && name.Find(frame) is null)
        {
            return AcpiInteger.Zero;
        }
        if (operand is LocalNode or ArgNode && operand.Resolve(frame) is null)
        {
            return AcpiInteger.Zero;
        }
        target.Store(frame, operand.MakeReference(frame), valueIsShared: false, copyObject: false);
        return frame.Interpreter.OnesInteger;
    }
}

/// <summary>A method invocation: NameString followed by as many TermArgs as the method declares.</summary>
internal sealed class CallNode(int offset, NameNode method, AmlNode[] arguments) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame) =>
        Call(frame) ?? throw Error(frame, $"AE_AML_NO_RETURN_VALUE: {method.Path} returned no value");

    public override AmlCompletion Execute(AmlFrame frame)
    {
        Call(frame);
        return AmlCompletion.Normal;
    }

    private AcpiObject? Call(AmlFrame frame)
    {
        NamespaceNode node = method.FindOrThrow(frame);
        if (node.Object is not AcpiMethod target)
        {
            return arguments.Length == 0
                ? frame.Interpreter.ReadNode(node, frame, Offset)
                : throw Error(frame, $"AE_AML_OPERAND_TYPE: {node.Path} is not a method");
        }
        // Arguments are passed as the objects themselves, as ACPICA passes them (by reference count).
        var args = new AcpiObject?[7];
        for (int i = 0; i < arguments.Length; i++)
        {
            args[i] = arguments[i].Evaluate(frame);
        }
        return frame.Interpreter.Invoke(target, args, frame.Context, frame.Depth + 1, frame.Table, Offset);
    }
}
