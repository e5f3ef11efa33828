using System.Buffers;
using System.Buffers.Binary;

namespace Vnvdimm.Formats.Aml;

/// <summary>
/// Little-endian sink for AML encodings over any <see cref="IBufferWriter{T}"/>, counting what it
/// wrote so callers can note where a value landed (the SSDT records MEMA's offset this way).
/// </summary>
public sealed class AmlWriter(IBufferWriter<byte> output)
{
    /// <summary>Bytes written through this writer so far.</summary>
    public int Position { get; private set; }

    public void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        Advance(1);
    }

    public void WriteWord(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), value);
        Advance(2);
    }

    public void WriteDWord(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        Advance(4);
    }

    public void WriteQWord(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(8), value);
        Advance(8);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>Writes one byte, or ExtOpPrefix plus one byte for extended opcodes.</summary>
    public void WriteOpcode(AmlOpcode opcode)
    {
        if ((ushort)opcode > 0xFF)
        {
            WriteByte((byte)AmlOpcode.ExtendedPrefix);
        }
        WriteByte((byte)opcode);
    }

    /// <summary>Writes a PkgLength for <paramref name="length"/> bytes that follow it (see <see cref="AmlPkgLength"/>).</summary>
    public void WritePkgLength(int length, bool includeSelf)
    {
        int size = AmlPkgLength.GetEncodedSize(length, includeSelf);
        AmlPkgLength.Encode(length, includeSelf, output.GetSpan(size));
        Advance(size);
    }

    private void Advance(int count)
    {
        output.Advance(count);
        Position += count;
    }

    /// <summary>Size on the wire of <paramref name="opcode"/>: 1, or 2 for extended opcodes.</summary>
    public static int GetOpcodeSize(AmlOpcode opcode) => (ushort)opcode > 0xFF ? 2 : 1;
}
