using System.Buffers;
using System.Buffers.Binary;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// Reading and writing field units and buffer fields (ACPICA exfldio.c rules). A field is accessed in
/// aligned units of its access width covering its bits; writes that cover a unit only partly apply the
/// update rule (Preserve reads the unit first). Values wider than the field are truncated, narrower
/// ones zero-extended.
/// </summary>
internal static class AmlFieldIo
{
    public static AcpiObject Read(AmlFrame frame, AcpiFieldUnit field, int offset)
    {
        int byteLength = ByteLength(field.BitLength);
        if (byteLength <= frame.Interpreter.IntegerByteWidth)
        {
            Span<byte> bytes = stackalloc byte[8];
            bytes.Clear();
            ReadBits(frame, field, bytes[..byteLength], offset);
            return AcpiInteger.From(BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        }
        var data = new byte[byteLength];
        ReadBits(frame, field, data, offset);
        return new AcpiBuffer(data, takeOwnership: true);
    }

    public static void Write(AmlFrame frame, AcpiFieldUnit field, AcpiObject value, int offset)
    {
        int byteLength = ByteLength(field.BitLength);
        byte[]? rented = null;
        Span<byte> data = byteLength <= 64 ? stackalloc byte[64] : (rented = ArrayPool<byte>.Shared.Rent(byteLength));
        data = data[..byteLength];
        try
        {
            FieldData(frame, value, data, field.BitLength, offset);
            WriteBits(frame, field, data, offset);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static AcpiObject ReadBufferField(AmlFrame frame, AcpiBufferField field, int offset)
    {
        byte[] buffer = CheckBufferField(frame, field, offset);
        int byteLength = ByteLength(field.BitLength);
        if (!field.IsCreateField && byteLength <= frame.Interpreter.IntegerByteWidth)
        {
            Span<byte> bytes = stackalloc byte[8];
            bytes.Clear();
            AmlBits.Extract(buffer, field.BitOffset, field.BitLength, bytes);
            return AcpiInteger.From(BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        }
        var data = new byte[byteLength];
        if (field.BitLength > 0)
        {
            AmlBits.Extract(buffer, field.BitOffset, field.BitLength, data);
        }
        return new AcpiBuffer(data, takeOwnership: true);
    }

    public static void WriteBufferField(AmlFrame frame, AcpiBufferField field, AcpiObject value, int offset)
    {
        byte[] buffer = CheckBufferField(frame, field, offset);
        int byteLength = ByteLength(field.BitLength);
        byte[]? rented = null;
        Span<byte> data = byteLength <= 64 ? stackalloc byte[64] : (rented = ArrayPool<byte>.Shared.Rent(byteLength));
        data = data[..byteLength];
        try
        {
            FieldData(frame, value, data, field.BitLength, offset);
            if (field.BitLength > 0)
            {
                AmlBits.Insert(buffer, field.BitOffset, field.BitLength, data);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int ByteLength(int bitLength) => (int)(((long)bitLength + 7) / 8);

    private static byte[] CheckBufferField(AmlFrame frame, AcpiBufferField field, int offset)
    {
        byte[] buffer = field.Buffer.Data;
        if (field.BitOffset + field.BitLength > buffer.Length * 8L)
        {
            throw new AmlException($"AE_AML_BUFFER_LIMIT: buffer field at bit {field.BitOffset}, {field.BitLength} bits, lies beyond its {buffer.Length}-byte buffer", frame.Table, offset);
        }
        return buffer;
    }

    // The value as the field's bytes: integer (integer width), buffer or string bytes, zero-extended or
    // truncated to the field, bits above its length cleared.
    private static void FieldData(AmlFrame frame, AcpiObject value, Span<byte> data, int bitLength, int offset)
    {
        data.Clear();
        switch (value)
        {
            case AcpiInteger integer:
            {
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, integer.Value & frame.Interpreter.IntegerMask);
                bytes = bytes[..frame.Interpreter.IntegerByteWidth];
                bytes[..Math.Min(bytes.Length, data.Length)].CopyTo(data);
                break;
            }
            case AcpiBuffer buffer:
                buffer.Data.AsSpan(0, Math.Min(buffer.Data.Length, data.Length)).CopyTo(data);
                break;
            case AcpiString text:
                for (int i = 0; i < Math.Min(text.Value.Length, data.Length); i++)
                {
                    data[i] = (byte)text.Value[i];
                }
                break;
            default:
                throw new AmlException($"AE_AML_OPERAND_TYPE: {AmlConvert.Describe(value)} cannot be stored into a field", frame.Table, offset);
        }
        if ((bitLength & 7) != 0 && data.Length > 0)
        {
            data[^1] &= (byte)((1 << (bitLength & 7)) - 1);
        }
    }

    // Aligned units covering the field: first unit's byte offset in the region, the field's first bit in
    // that unit, and how many bytes of units.
    private static (long BaseByte, int StartBit, int SpanBytes) Layout(AmlFrame frame, AcpiFieldUnit field, int offset)
    {
        int width = field.AccessWidth;
        long baseByte = (field.BitOffset >> 3) & ~(long)(width - 1);
        int startBit = (int)(field.BitOffset - (baseByte * 8));
        long units = (startBit + (long)field.BitLength + (width * 8) - 1) / (width * 8);
        long spanBytes = units * width;
        if ((ulong)(baseByte + spanBytes) > field.Region.Length)
        {
            throw new AmlException(
                $"AE_AML_REGION_LIMIT: field at bit {field.BitOffset}, {field.BitLength} bits, {width}-byte access, lies beyond its 0x{field.Region.Length:X}-byte {AcpiOperationRegion.SpaceName(field.Region.Space)} region",
                frame.Table, offset);
        }
        return (baseByte, startBit, (int)spanBytes);
    }

    private static void ReadBits(AmlFrame frame, AcpiFieldUnit field, Span<byte> destination, int offset)
    {
        if (field.BitLength == 0)
        {
            return;
        }
        (long baseByte, int startBit, int spanBytes) = Layout(frame, field, offset);
        AcpiOperationRegion region = field.Region;
        bool wholeUnits = startBit == 0 && field.BitLength % (field.AccessWidth * 8) == 0;
        if (region.Space == AcpiOperationRegion.SystemMemory && wholeUnits)
        {
            // Plain memory: one access for the whole field is indistinguishable from unit-sized ones.
            ReadMemory(frame, region, baseByte, destination, offset);
            return;
        }
        byte[] raw = ArrayPool<byte>.Shared.Rent(spanBytes);
        try
        {
            Span<byte> units = raw.AsSpan(0, spanBytes);
            ReadUnits(frame, region, baseByte, field.AccessWidth, units, offset);
            AmlBits.Extract(units, startBit, field.BitLength, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    private static void WriteBits(AmlFrame frame, AcpiFieldUnit field, ReadOnlySpan<byte> data, int offset)
    {
        if (field.BitLength == 0)
        {
            return;
        }
        (long baseByte, int startBit, int spanBytes) = Layout(frame, field, offset);
        AcpiOperationRegion region = field.Region;
        int width = field.AccessWidth;
        bool wholeUnits = startBit == 0 && field.BitLength % (width * 8) == 0;
        if (region.Space == AcpiOperationRegion.SystemMemory && wholeUnits)
        {
            WriteMemory(frame, region, baseByte, data, offset);
            return;
        }
        byte[] raw = ArrayPool<byte>.Shared.Rent(spanBytes);
        try
        {
            Span<byte> units = raw.AsSpan(0, spanBytes);
            switch (field.UpdateRule)
            {
                case AcpiFieldUnit.WriteAsOnes:
                    units.Fill(0xFF);
                    break;
                case AcpiFieldUnit.WriteAsZeros:
                    units.Clear();
                    break;
                default:
                    // Preserve: only the units the field covers partly are read back.
                    units.Clear();
                    if (startBit != 0 || field.BitLength < width * 8)
                    {
                        ReadUnits(frame, region, baseByte, width, units[..width], offset);
                    }
                    int endBit = startBit + field.BitLength;
                    if (endBit % (width * 8) != 0 && spanBytes > width)
                    {
                        ReadUnits(frame, region, baseByte + spanBytes - width, width, units[^width..], offset);
                    }
                    break;
            }
            AmlBits.Insert(units, startBit, field.BitLength, data);
            WriteUnits(frame, region, baseByte, width, units, offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    private static void ReadUnits(AmlFrame frame, AcpiOperationRegion region, long byteOffset, int width, Span<byte> units, int offset)
    {
        if (region.Space == AcpiOperationRegion.SystemMemory)
        {
            ReadMemory(frame, region, byteOffset, units, offset);
            return;
        }
        Span<byte> bytes = stackalloc byte[4];
        for (int i = 0; i < units.Length; i += width)
        {
            ushort port = Port(frame, region, byteOffset + i, width, offset);
            uint value = frame.Interpreter.Platform.ReadPort(port, width);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            bytes[..width].CopyTo(units.Slice(i, width));
        }
    }

    private static void WriteUnits(AmlFrame frame, AcpiOperationRegion region, long byteOffset, int width, ReadOnlySpan<byte> units, int offset)
    {
        if (region.Space == AcpiOperationRegion.SystemMemory)
        {
            WriteMemory(frame, region, byteOffset, units, offset);
            return;
        }
        Span<byte> bytes = stackalloc byte[4];
        for (int i = 0; i < units.Length; i += width)
        {
            ushort port = Port(frame, region, byteOffset + i, width, offset);
            bytes.Clear();
            units.Slice(i, width).CopyTo(bytes);
            frame.Interpreter.Platform.WritePort(port, width, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        }
    }

    private static ushort Port(AmlFrame frame, AcpiOperationRegion region, long byteOffset, int width, int offset)
    {
        if (region.Space != AcpiOperationRegion.SystemIO)
        {
            throw new AmlException($"AE_NOT_EXIST: no handler for {AcpiOperationRegion.SpaceName(region.Space)} operation regions", frame.Table, offset);
        }
        if (width > 4)
        {
            throw new AmlException($"AE_AML_OPERAND_VALUE: SystemIO accesses are 1, 2 or 4 bytes wide, not {width}", frame.Table, offset);
        }
        ulong port = region.Address + (ulong)byteOffset;
        if (port < region.Address || port + (ulong)width - 1 > ushort.MaxValue)
        {
            throw new AmlException($"AE_AML_ILLEGAL_ADDRESS: I/O port 0x{port:X} is beyond the 64 KiB port space", frame.Table, offset);
        }
        return (ushort)port;
    }

    private static void ReadMemory(AmlFrame frame, AcpiOperationRegion region, long byteOffset, Span<byte> destination, int offset)
    {
        GuestAddress address = Address(frame, region, byteOffset, destination.Length, offset);
        if (!frame.Interpreter.Platform.TryReadMemory(address, destination))
        {
            throw new AmlException($"AE_AML_ILLEGAL_ADDRESS: cannot read {destination.Length} bytes of guest memory at {address}", frame.Table, offset);
        }
    }

    private static void WriteMemory(AmlFrame frame, AcpiOperationRegion region, long byteOffset, ReadOnlySpan<byte> source, int offset)
    {
        GuestAddress address = Address(frame, region, byteOffset, source.Length, offset);
        if (!frame.Interpreter.Platform.TryWriteMemory(address, source))
        {
            throw new AmlException($"AE_AML_ILLEGAL_ADDRESS: cannot write {source.Length} bytes of guest memory at {address}", frame.Table, offset);
        }
    }

    private static GuestAddress Address(AmlFrame frame, AcpiOperationRegion region, long byteOffset, int length, int offset)
    {
        if (!new GuestAddress(region.Address).TryAdd((ulong)byteOffset, out GuestAddress address) || !address.TryAdd((ulong)length, out _))
        {
            throw new AmlException($"AE_AML_ILLEGAL_ADDRESS: region at 0x{region.Address:X} + 0x{byteOffset:X} wraps past 2^64", frame.Table, offset);
        }
        return address;
    }
}
