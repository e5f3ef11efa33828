using System.Buffers.Binary;
using System.Text;

namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// Implicit operand conversions (ACPI 6.5 §19.3.5.7), as ACPICA applies them: Integer widths follow
/// the interpreter's current width, String → Buffer keeps the NUL terminator.
/// </summary>
internal static class AmlConvert
{
    public static ulong ToInteger(AcpiObject value, AmlFrame frame, int offset)
    {
        AmlInterpreter interpreter = frame.Interpreter;
        switch (value)
        {
            case AcpiInteger integer:
                return integer.Value & interpreter.IntegerMask;
            case AcpiBuffer buffer:
            {
                // The first (integer width) bytes, little-endian; a short buffer is zero-extended.
                Span<byte> bytes = stackalloc byte[8];
                bytes.Clear();
                int count = Math.Min(buffer.Data.Length, interpreter.IntegerByteWidth);
                buffer.Data.AsSpan(0, count).CopyTo(bytes);
                return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            }
            case AcpiString text:
                return ParseHex(text.Value, allowPrefix: true) & interpreter.IntegerMask;
            default:
                throw new AmlException($"AE_AML_OPERAND_TYPE: {Describe(value)} cannot be used as an Integer", frame.Table, offset);
        }
    }

    /// <summary>ToInteger's explicit rule for strings: "0x…" is hexadecimal, anything else decimal.</summary>
    public static ulong ParseExplicit(string text, AmlFrame frame)
    {
        string trimmed = text.Trim();
        if (trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ParseHex(trimmed[2..], allowPrefix: false) & frame.Interpreter.IntegerMask;
        }
        ulong value = 0;
        foreach (char c in trimmed)
        {
            if (c is < '0' or > '9')
            {
                break;
            }
            value = unchecked((value * 10) + (ulong)(c - '0'));
        }
        return value & frame.Interpreter.IntegerMask;
    }

    /// <summary>The integer as a buffer: integer-width bytes, little-endian.</summary>
    public static byte[] IntegerBytes(ulong value, AmlFrame frame)
    {
        var bytes = new byte[frame.Interpreter.IntegerByteWidth];
        Span<byte> all = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(all, value);
        all[..bytes.Length].CopyTo(bytes);
        return bytes;
    }

    /// <summary>
    /// The bytes a value contributes as a Buffer. A Buffer returns its own array, which callers must
    /// not modify; strings include their NUL terminator (ACPICA does this for compatibility).
    /// </summary>
    public static byte[] ToBufferBytes(AcpiObject value, AmlFrame frame, int offset) => value switch
    {
        AcpiBuffer buffer => buffer.Data,
        AcpiInteger integer => IntegerBytes(integer.Value & frame.Interpreter.IntegerMask, frame),
        AcpiString text => StringBytes(text.Value, withTerminator: true),
        _ => throw new AmlException($"AE_AML_OPERAND_TYPE: {Describe(value)} cannot be used as a Buffer", frame.Table, offset),
    };

    /// <summary>Implicit conversion to String: integers as fixed-width hex, buffers as "0xNN 0xNN …".</summary>
    public static string ToImplicitString(AcpiObject value, AmlFrame frame, int offset)
    {
        switch (value)
        {
            case AcpiString text:
                return text.Value;
            case AcpiInteger integer:
                return (integer.Value & frame.Interpreter.IntegerMask).ToString(frame.Interpreter.IntegerByteWidth == 4 ? "X8" : "X16");
            case AcpiBuffer buffer:
                return string.Join(' ', buffer.Data.Select(b => $"0x{b:X2}"));
            default:
                throw new AmlException($"AE_AML_OPERAND_TYPE: {Describe(value)} cannot be used as a String", frame.Table, offset);
        }
    }

    public static byte[] StringBytes(string text, bool withTerminator)
    {
        var bytes = new byte[text.Length + (withTerminator ? 1 : 0)];
        for (int i = 0; i < text.Length; i++)
        {
            bytes[i] = (byte)text[i];
        }
        return bytes;
    }

    public static string Describe(AcpiObject? value) => value switch
    {
        null => "an uninitialized object",
        AcpiReference => "an object reference",
        _ => $"a {value.Type}",
    };

    private static ulong ParseHex(string text, bool allowPrefix)
    {
        ReadOnlySpan<char> span = text.AsSpan().TrimStart();
        if (allowPrefix && span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            span = span[2..];
        }
        ulong value = 0;
        foreach (char c in span)
        {
            int digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                break;
            }
            value = (value << 4) | (uint)digit;
        }
        return value;
    }

    public static string ToAscii(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
