using System.Buffers.Binary;
using Vnvdimm.Guest.Acpi;
using static Vnvdimm.Tests.Guest.Acpi.AmlAsm;
using static Vnvdimm.Tests.Guest.Acpi.AmlTestHost;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>OperationRegion + Field on SystemMemory and SystemIO: access widths, update rules, wide fields.</summary>
public sealed class AmlFieldTests
{
    private const byte DWordAccPreserve = 0x03;
    private const byte ByteAccPreserve = 0x01;
    private const byte ByteAccWriteAsOnes = 0x21;
    private const byte ByteAccWriteAsZeros = 0x41;
    private const byte WordAccPreserve = 0x02;

    [Fact]
    public void Dword_fields_in_system_memory_read_and_write_guest_ram()
    {
        // OperationRegion (MEM0, SystemMemory, 0x10100, 16) Field (MEM0, DWordAcc, NoLock, Preserve) { F0, 32, F1, 32 }
        // Method (TEST) { F1 = F0 + 1 }
        var platform = new RecordingPlatform();
        BinaryPrimitives.WriteUInt32LittleEndian(platform.Ram.AsSpan(0x100), 0x1234_5677);
        AmlInterpreter interpreter = Load(platform, terms:
        [
            Region("MEM0", 0, DWord(0x1_0100), Int(16)), Field("MEM0", DWordAccPreserve, ("F0", 32), ("F1", 32)),
            Method("TEST", 0, false, Store(Add(NameString("F0"), One, Null), NameString("F1"))),
        ]);
        interpreter.Evaluate(@"\TEST");
        Assert.Equal(0x1234_5678u, BinaryPrimitives.ReadUInt32LittleEndian(platform.Ram.AsSpan(0x104)));
        Assert.Equal(0x1234_5678UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\F1")).Value);
    }

    [Fact]
    public void Wide_fields_read_as_buffers_and_short_stores_zero_fill_the_rest()
    {
        // Like NCAL's page: Field (NRAM, DWordAcc, NoLock, Preserve) { HDLE, 32, REVS, 32, FUNC, 32, FARG, 32672 }
        // Method (TEST) { FARG = Buffer () { 1, 2, 3 }; Return (FARG) }
        var platform = new RecordingPlatform();
        platform.Ram.AsSpan(0x1000, 0x1000).Fill(0xEE);
        AmlInterpreter interpreter = Load(platform, terms:
        [
            Region("NRAM", 0, DWord(0x1_1000), Int(0x1000)),
            Field("NRAM", DWordAccPreserve, ("HDLE", 32), ("REVS", 32), ("FUNC", 32), ("FARG", 32672)),
            Method("TEST", 0, false, Store(Buf(1, 2, 3), NameString("FARG")), Return(NameString("FARG"))),
        ]);
        byte[] farg = Assert.IsType<AcpiBuffer>(interpreter.Evaluate(@"\TEST")).ToArray();
        Assert.Equal(4084, farg.Length);
        Assert.Equal([1, 2, 3], farg[..3]);
        Assert.All(farg[3..], b => Assert.Equal(0, b));
        Assert.All(platform.Ram.AsSpan(0x1000, 12).ToArray(), b => Assert.Equal(0xEE, b));
    }

    [Theory]
    [InlineData(64, 8)]
    [InlineData(32, 4)]
    public void Storing_an_integer_into_a_wide_field_writes_integer_width_bytes_then_zeros(int width, int integerBytes)
    {
        // Field (MEM0, ByteAcc, NoLock, Preserve) { WIDE, 128 }   WIDE = 0x8877665544332211
        var platform = new RecordingPlatform();
        platform.Ram.AsSpan(0, 16).Fill(0xEE);
        AmlInterpreter interpreter = Load(platform, width: width, terms:
        [
            Region("MEM0", 0, DWord(0x1_0000), Int(16)), Field("MEM0", ByteAccPreserve, ("WIDE", 128)),
            Method("TEST", 0, false, Store(Int(0x8877665544332211), NameString("WIDE"))),
        ]);
        interpreter.Evaluate(@"\TEST");
        byte[] expected = new byte[16];
        new byte[] { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }.AsSpan(0, integerBytes).CopyTo(expected);
        Assert.Equal(expected, platform.Ram.AsSpan(0, 16).ToArray());
    }

    [Theory]
    [InlineData(ByteAccPreserve, new byte[] { 0x5F, 0xA4 })]
    [InlineData(ByteAccWriteAsOnes, new byte[] { 0x5F, 0xF4 })]
    [InlineData(ByteAccWriteAsZeros, new byte[] { 0x50, 0x04 })]
    public void Unaligned_fields_follow_the_update_rule(byte flags, byte[] expected)
    {
        // Field (MEM0, ByteAcc, NoLock, rule) { Offset (0), , 4, MID, 8 }   MID = 0x45 over bytes { 0xAF, 0xA7 }
        var platform = new RecordingPlatform();
        platform.Ram[0] = 0xAF;
        platform.Ram[1] = 0xA7;
        AmlInterpreter interpreter = Load(platform, terms:
        [
            Region("MEM0", 0, DWord(0x1_0000), Int(4)), Field("MEM0", flags, (null, 4), ("MID", 8)),
            Method("TEST", 0, false, Store(Int(0x45), NameString("MID")), Return(NameString("MID"))),
        ]);
        Assert.Equal(0x45UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\TEST")).Value);
        Assert.Equal(expected, platform.Ram.AsSpan(0, 2).ToArray());
    }

    [Fact]
    public void System_io_fields_use_port_accesses_of_the_access_width()
    {
        // OperationRegion (NPIO, SystemIO, 0x0A18, 4) Field (NPIO, DWordAcc, NoLock, Preserve) { NTFI, 32 }
        // OperationRegion (WPIO, SystemIO, 0x0B00, 4) Field (WPIO, WordAcc, NoLock, Preserve) { WIDE, 32 }
        // Field (WPIO, ByteAcc, NoLock, Preserve) { Offset (1), BYT1, 8 }
        // Method (TEST) { NTFI = 0x1FFFF000; WIDE = 0xAABBCCDD; Return (BYT1) }
        var platform = new RecordingPlatform();
        platform.PortValues[0x0B01] = 0x5A;
        AmlInterpreter interpreter = Load(platform, terms:
        [
            Region("NPIO", 1, Int(0x0A18), Int(4)), Field("NPIO", DWordAccPreserve, ("NTFI", 32)),
            Region("WPIO", 1, Int(0x0B00), Int(4)), Field("WPIO", WordAccPreserve, ("WIDE", 32)), Field("WPIO", ByteAccPreserve, (null, 8), ("BYT1", 8)),
            Method("TEST", 0, false, Store(DWord(0x1FFF_F000), NameString("NTFI")), Store(DWord(0xAABB_CCDD), NameString("WIDE")), Return(NameString("BYT1"))),
        ]);
        Assert.Equal(0x5AUL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\TEST")).Value);
        Assert.Equal([((ushort)0x0A18, 4, 0x1FFF_F000u), ((ushort)0x0B00, 2, 0xCCDDu), ((ushort)0x0B02, 2, 0xAABBu)], platform.Writes);
        Assert.Equal([((ushort)0x0B01, 1)], platform.Reads);
    }

    [Fact]
    public void Partial_io_writes_read_the_unit_first_when_preserving()
    {
        // Field (PIO0, DWordAcc, NoLock, Preserve) { Offset (1), MIDB, 8 }   MIDB = 0x12 with the port reading 0xAABBCCDD
        var platform = new RecordingPlatform();
        platform.PortValues[0x0C00] = 0xAABB_CCDD;
        AmlInterpreter interpreter = Load(platform, terms:
        [
            Region("PIO0", 1, Int(0x0C00), Int(4)), Field("PIO0", DWordAccPreserve, (null, 8), ("MIDB", 8)),
            Method("TEST", 0, false, Store(Int(0x12), NameString("MIDB"))),
        ]);
        interpreter.Evaluate(@"\TEST");
        Assert.Equal([((ushort)0x0C00, 4)], platform.Reads);
        Assert.Equal([((ushort)0x0C00, 4, 0xAABB_12DDu)], platform.Writes);
    }

    [Fact]
    public void Regions_declared_in_a_method_take_their_address_from_a_local()
    {
        // Name (MEMA, 0x10200)
        // Method (TEST) { Local6 = MEMA; OperationRegion (NRAM, SystemMemory, Local6, 0x10) Field (NRAM, DWordAcc, NoLock, Preserve) { RLEN, 32 }
        //                 RLEN = 0x55; Return (RLEN) }
        var platform = new RecordingPlatform();
        AmlInterpreter interpreter = Load(platform, terms:
        [
            Name("MEMA", DWord(0x1_0200)),
            Method("TEST", 0, true, Store(NameString("MEMA"), Local(6)), Region("NRAM", 0, Local(6), Int(0x10)), Field("NRAM", DWordAccPreserve, ("RLEN", 32)),
                Store(Int(0x55), NameString("RLEN")), Return(NameString("RLEN"))),
        ]);
        Assert.Equal(0x55UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\TEST")).Value);
        Assert.Equal(0x55UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\TEST")).Value);
        Assert.Equal(0x55, platform.Ram[0x200]);
    }

    [Fact]
    public void A_64_bit_field_is_a_buffer_with_32_bit_integers()
    {
        // Field (MEM0, DWordAcc, NoLock, Preserve) { LO32, 32, QW64, 64 }
        var platform = new RecordingPlatform();
        platform.Ram.AsSpan(0, 12).CopyTo(platform.Ram);
        for (int i = 0; i < 12; i++)
        {
            platform.Ram[i] = (byte)(i + 1);
        }
        byte[][] terms = [Region("MEM0", 0, DWord(0x1_0000), Int(12)), Field("MEM0", DWordAccPreserve, ("LO32", 32), ("QW64", 64))];
        AmlInterpreter narrow = Load(platform, width: 32, terms: terms);
        Assert.Equal(0x0403_0201UL, Assert.IsType<AcpiInteger>(narrow.Evaluate(@"\LO32")).Value);
        Assert.Equal([5, 6, 7, 8, 9, 10, 11, 12], Assert.IsType<AcpiBuffer>(narrow.Evaluate(@"\QW64")).ToArray());
        AmlInterpreter wide = Load(platform, width: 64, terms: terms);
        Assert.Equal(0x0C0B_0A09_0807_0605UL, Assert.IsType<AcpiInteger>(wide.Evaluate(@"\QW64")).Value);
    }

    [Fact]
    public void Access_as_changes_the_width_for_the_following_fields()
    {
        // Field (PIO0, ByteAcc, NoLock, Preserve) { B0, 8, AccessAs (WordAcc), , 8, W1, 16 }
        var platform = new RecordingPlatform();
        byte[] field = WithPkg([0x5B, 0x81], NameString("PIO0"), [ByteAccPreserve], Seg("B0"), FieldLength(8), [0x01, 0x02, 0x00], [0x00], FieldLength(8), Seg("W1"), FieldLength(16));
        AmlInterpreter interpreter = Load(platform, terms:
        [
            Region("PIO0", 1, Int(0x0D00), Int(4)), field,
            Method("TEST", 0, false, Store(One, NameString("B0")), Store(Int(0xBEEF), NameString("W1"))),
        ]);
        interpreter.Evaluate(@"\TEST");
        Assert.Equal([((ushort)0x0D00, 1, 1u), ((ushort)0x0D02, 2, 0xBEEFu)], platform.Writes);
    }

    [Fact]
    public void Accesses_beyond_the_region_or_to_unmapped_memory_fail()
    {
        // OperationRegion (MEM0, SystemMemory, 0x10000, 2) Field (MEM0, DWordAcc …) { BIG, 32 }
        AmlInterpreter small = Load(terms: [Region("MEM0", 0, DWord(0x1_0000), Int(2)), Field("MEM0", DWordAccPreserve, ("BIG", 32))]);
        Assert.StartsWith("AE_AML_REGION_LIMIT", Assert.Throws<AmlException>(() => small.Evaluate(@"\BIG")).Message, StringComparison.Ordinal);
        // OperationRegion (MEM1, SystemMemory, 0x90000000, 4) — nothing is mapped there
        AmlInterpreter unmapped = Load(terms: [Region("MEM1", 0, DWord(0x9000_0000), Int(4)), Field("MEM1", DWordAccPreserve, ("FAR", 32))]);
        Assert.StartsWith("AE_AML_ILLEGAL_ADDRESS", Assert.Throws<AmlException>(() => unmapped.Evaluate(@"\FAR")).Message, StringComparison.Ordinal);
        // OperationRegion (PCI0, PCI_Config, 0, 4) — no handler
        AmlInterpreter pci = Load(terms: [Region("PCI0", 2, Zero, Int(4)), Field("PCI0", DWordAccPreserve, ("VID", 32))]);
        Assert.StartsWith("AE_NOT_EXIST", Assert.Throws<AmlException>(() => pci.Evaluate(@"\VID")).Message, StringComparison.Ordinal);
    }
}
