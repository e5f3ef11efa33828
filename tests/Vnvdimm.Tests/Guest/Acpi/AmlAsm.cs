using System.Buffers.Binary;
using System.Text;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>
/// A tiny hand assembler for AML test tables (ACPI 6.5 §20): each helper returns the bytes of one term,
/// so tests read like the ASL they cite.
/// </summary>
internal static class AmlAsm
{
    public static readonly byte[] Zero = [0x00];
    public static readonly byte[] One = [0x01];
    public static readonly byte[] Ones = [0xFF];
    public static readonly byte[] Null = [0x00];
    public static readonly byte[] Debug = [0x5B, 0x31];

    /// <summary>A definition block with a valid header and checksum.</summary>
    public static byte[] Table(string signature, byte revision, params byte[][] terms)
    {
        byte[] body = Cat(terms);
        var table = new byte[36 + body.Length];
        Encoding.ASCII.GetBytes(signature).CopyTo(table, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), (uint)table.Length);
        table[8] = revision;
        Encoding.ASCII.GetBytes("VNVDIM").CopyTo(table, 10);
        Encoding.ASCII.GetBytes("TESTTABL").CopyTo(table, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(24), 1);
        Encoding.ASCII.GetBytes("VNVD").CopyTo(table, 28);
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(32), 1);
        body.CopyTo(table, 36);
        FixChecksum(table);
        return table;
    }

    public static byte[] Ssdt(params byte[][] terms) => Table("SSDT", 2, terms);

    public static void FixChecksum(byte[] table)
    {
        table[9] = 0;
        byte sum = 0;
        foreach (byte b in table)
        {
            sum += b;
        }
        table[9] = (byte)(0 - sum);
    }

    public static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>PkgLength for a package whose contents after the PkgLength are <paramref name="payload"/> bytes.</summary>
    public static byte[] PkgLength(int payload)
    {
        int size = payload + 1 <= 0x3F ? 1 : payload + 2 < 1 << 12 ? 2 : payload + 3 < 1 << 20 ? 3 : 4;
        return Encode(payload + size, size);
    }

    /// <summary>A field element length: PkgLength encoding that does not count itself.</summary>
    public static byte[] FieldLength(int bits)
    {
        int size = bits <= 0x3F ? 1 : bits < 1 << 12 ? 2 : bits < 1 << 20 ? 3 : 4;
        return Encode(bits, size);
    }

    public static byte[] WithPkg(byte[] opcode, params byte[][] payload)
    {
        byte[] body = Cat(payload);
        return Cat(opcode, PkgLength(body.Length), body);
    }

    /// <summary>NameString: <c>\_SB.NVDR</c>, <c>^FOO</c>, <c>FOO</c>; short segments padded with '_'.</summary>
    public static byte[] NameString(string path)
    {
        var bytes = new List<byte>();
        int i = 0;
        if (path.StartsWith('\\'))
        {
            bytes.Add((byte)'\\');
            i = 1;
        }
        while (i < path.Length && path[i] == '^')
        {
            bytes.Add((byte)'^');
            i++;
        }
        string rest = path[i..];
        if (rest.Length == 0)
        {
            bytes.Add(0);
            return bytes.ToArray();
        }
        string[] segments = rest.Split('.');
        if (segments.Length == 2)
        {
            bytes.Add(0x2E);
        }
        else if (segments.Length > 2)
        {
            bytes.Add(0x2F);
            bytes.Add((byte)segments.Length);
        }
        foreach (string segment in segments)
        {
            bytes.AddRange(Seg(segment));
        }
        return bytes.ToArray();
    }

    public static byte[] Seg(string segment) => Encoding.ASCII.GetBytes(segment.PadRight(4, '_'));

    public static byte[] Int(ulong value) => value switch
    {
        0 => [0x00],
        1 => [0x01],
        <= 0xFF => [0x0A, (byte)value],
        <= 0xFFFF => Cat([0x0B], Le(value, 2)),
        <= 0xFFFF_FFFF => Cat([0x0C], Le(value, 4)),
        _ => Cat([0x0E], Le(value, 8)),
    };

    public static byte[] DWord(uint value) => Cat([0x0C], Le(value, 4));

    public static byte[] Str(string text) => Cat([0x0D], Encoding.ASCII.GetBytes(text), [0x00]);

    public static byte[] Buffer(byte[] size, params byte[] initializer) => WithPkg([0x11], size, initializer);

    public static byte[] Buf(params byte[] initializer) => Buffer(Int((ulong)initializer.Length), initializer);

    public static byte[] Package(params byte[][] elements) => WithPkg([0x12], [(byte)elements.Length], Cat(elements));

    public static byte[] PackageN(int count, params byte[][] elements) => WithPkg([0x12], [(byte)count], Cat(elements));

    public static byte[] VarPackage(byte[] count, params byte[][] elements) => WithPkg([0x13], count, Cat(elements));

    public static byte[] Local(int index) => [(byte)(0x60 + index)];

    public static byte[] Arg(int index) => [(byte)(0x68 + index)];

    public static byte[] Op(byte opcode, params byte[][] operands) => Cat([opcode], Cat(operands));

    public static byte[] ExtOp(byte opcode, params byte[][] operands) => Cat([0x5B, opcode], Cat(operands));

    public static byte[] Scope(string path, params byte[][] terms) => WithPkg([0x10], NameString(path), Cat(terms));

    public static byte[] Device(string name, params byte[][] terms) => WithPkg([0x5B, 0x82], NameString(name), Cat(terms));

    public static byte[] Method(string name, int argumentCount, bool serialized, params byte[][] terms) =>
        WithPkg([0x14], NameString(name), [(byte)(argumentCount | (serialized ? 0x08 : 0))], Cat(terms));

    public static byte[] Name(string name, byte[] value) => Cat([0x08], NameString(name), value);

    public static byte[] Store(byte[] source, byte[] target) => Op(0x70, source, target);

    public static byte[] Return(byte[] value) => Op(0xA4, value);

    public static byte[] If(byte[] predicate, params byte[][] terms) => WithPkg([0xA0], predicate, Cat(terms));

    public static byte[] Else(params byte[][] terms) => WithPkg([0xA1], Cat(terms));

    public static byte[] While(byte[] predicate, params byte[][] terms) => WithPkg([0xA2], predicate, Cat(terms));

    public static byte[] Call(string name, params byte[][] arguments) => Cat(NameString(name), Cat(arguments));

    public static byte[] Add(byte[] a, byte[] b, byte[] target) => Op(0x72, a, b, target);

    public static byte[] LEqual(byte[] a, byte[] b) => Op(0x93, a, b);

    public static byte[] LLess(byte[] a, byte[] b) => Op(0x95, a, b);

    public static byte[] Index(byte[] source, byte[] index, byte[] target) => Op(0x88, source, index, target);

    public static byte[] DerefOf(byte[] reference) => Op(0x83, reference);

    public static byte[] SizeOf(byte[] name) => Op(0x87, name);

    public static byte[] Concatenate(byte[] a, byte[] b, byte[] target) => Op(0x73, a, b, target);

    public static byte[] Region(string name, byte space, byte[] address, byte[] length) =>
        ExtOp(0x80, NameString(name), [space], address, length);

    /// <summary>Field (region, flags) { name, bits … }; a null name is a reserved (Offset) gap.</summary>
    public static byte[] Field(string region, byte flags, params (string? Name, int Bits)[] fields)
    {
        var list = new List<byte>();
        foreach ((string? name, int bits) in fields)
        {
            list.AddRange(name is null ? [0x00] : Seg(name));
            list.AddRange(FieldLength(bits));
        }
        return WithPkg([0x5B, 0x81], NameString(region), [flags], list.ToArray());
    }

    private static byte[] Encode(int value, int size)
    {
        if (size == 1)
        {
            return [(byte)value];
        }
        var bytes = new byte[size];
        bytes[0] = (byte)(((size - 1) << 6) | (value & 0x0F));
        for (int i = 1; i < size; i++)
        {
            bytes[i] = (byte)(value >> (4 + (8 * (i - 1))));
        }
        return bytes;
    }

    private static byte[] Le(ulong value, int size)
    {
        var bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(value >> (8 * i));
        }
        return bytes;
    }
}
