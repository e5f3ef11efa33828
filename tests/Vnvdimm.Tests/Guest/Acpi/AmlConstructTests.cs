using Vnvdimm.Guest.Acpi;
using static Vnvdimm.Tests.Guest.Acpi.AmlAsm;
using static Vnvdimm.Tests.Guest.Acpi.AmlTestHost;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>One construct at a time, each from hand-assembled AML (the ASL is in the comments).</summary>
public sealed class AmlConstructTests
{
    [Fact]
    public void Integer_constants_of_every_encoding()
    {
        // Return (Package () { Zero, One, 0x12, 0x1234, 0x12345678, 0x0123456789ABCDEF, Ones })
        var package = Assert.IsType<AcpiPackage>(RunTest(Return(Package(Zero, One, Int(0x12), Int(0x1234), Int(0x12345678), Int(0x0123456789ABCDEF), Ones))));
        Assert.Equal([0UL, 1, 0x12, 0x1234, 0x12345678, 0x0123456789ABCDEF, ulong.MaxValue], package.Elements.Select(e => ((AcpiInteger)e).Value));
    }

    [Fact]
    public void A_revision_1_dsdt_makes_integers_32_bits_wide()
    {
        // Return (Package () { 0x0123456789ABCDEF, Ones, 0xFFFFFFFF + 1 }) in a 32-bit interpreter
        var package = Assert.IsType<AcpiPackage>(RunTest(32, Return(Package(Int(0x0123456789ABCDEF), Ones, Add(DWord(0xFFFF_FFFF), One, Null)))));
        Assert.Equal([0x89ABCDEFUL, 0xFFFF_FFFF, 0], package.Elements.Select(e => ((AcpiInteger)e).Value));
    }

    [Fact]
    public void Ssdt_revision_does_not_change_the_width_but_the_dsdt_does()
    {
        var interpreter = new AmlInterpreter(new RecordingPlatform());
        interpreter.LoadTable(Table("SSDT", 1));
        Assert.Equal(64, interpreter.IntegerWidth);
        interpreter.LoadTable(Table("DSDT", 1));
        Assert.Equal(32, interpreter.IntegerWidth);
    }

    public static TheoryData<byte, ulong, ulong, ulong> BinaryCases => new()
    {
        { 0x72, 5, 7, 12 },                      // Add
        { 0x72, ulong.MaxValue, 2, 1 },          // Add wraps
        { 0x74, 5, 7, unchecked(5UL - 7) },      // Subtract wraps
        { 0x77, 6, 7, 42 },                      // Multiply
        { 0x79, 1, 4, 16 },                      // ShiftLeft
        { 0x79, 1, 64, 0 },                      // ShiftLeft by the width gives 0
        { 0x7A, 0x80, 3, 0x10 },                 // ShiftRight
        { 0x7B, 0xF0F0, 0xFF00, 0xF000 },        // And
        { 0x7C, 0xFF, 0x0F, ~0x0FUL },           // Nand
        { 0x7D, 0xF0, 0x0F, 0xFF },              // Or
        { 0x7E, 0xF0, 0x0F, ~0xFFUL },           // Nor
        { 0x7F, 0xFF, 0x0F, 0xF0 },              // Xor
        { 0x85, 17, 5, 2 },                      // Mod
    };

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_integer_operators(byte opcode, ulong a, ulong b, ulong expected)
    {
        // Op (Local0 = a, b, Local1); Return (Local1) — the result goes to the target and is returned.
        Assert.Equal(expected, RunInteger(Store(Int(a), Local(0)), Op(opcode, Local(0), Int(b), Local(1)), Return(Local(1))));
        Assert.Equal(expected, RunInteger(Return(Op(opcode, Int(a), Int(b), Null))));
    }

    [Fact]
    public void Shifts_and_subtraction_wrap_at_32_bits_in_a_32_bit_interpreter()
    {
        Assert.Equal(0xFFFF_FFFEUL, RunInteger(32, Return(Op(0x74, Zero, Int(2), Null))));
        Assert.Equal(0UL, RunInteger(32, Return(Op(0x79, One, Int(32), Null))));
        Assert.Equal(0x8000_0000UL, RunInteger(32, Return(Op(0x79, One, Int(31), Null))));
    }

    [Fact]
    public void Divide_stores_remainder_and_quotient()
    {
        // Divide (17, 5, Local1, Local2); Return (Package () { Local1, Local2 }) — packages take data objects, so go through a buffer
        // Local3 = Concatenate (Local1, Local2)
        byte[] result = RunBuffer(Op(0x78, Int(17), Int(5), Local(1), Local(2)), Concatenate(Local(1), Local(2), Local(3)), Return(Local(3)));
        Assert.Equal([2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0], result);
    }

    [Fact]
    public void Not_and_find_set_bits()
    {
        Assert.Equal(~0x0FUL, RunInteger(Return(Op(0x80, Int(0x0F), Null))));
        Assert.Equal(0xFFFF_FFF0UL, RunInteger(32, Return(Op(0x80, Int(0x0F), Null))));
        Assert.Equal(5UL, RunInteger(Return(Op(0x81, Int(0x18), Null))));   // FindSetLeftBit (0x18) = 5
        Assert.Equal(4UL, RunInteger(Return(Op(0x82, Int(0x18), Null))));   // FindSetRightBit (0x18) = 4
        Assert.Equal(0UL, RunInteger(Return(Op(0x81, Zero, Null))));
    }

    [Fact]
    public void Increment_and_decrement_locals_and_names()
    {
        // Name (CNT, 5)  Method (TEST) { Local0 = 1; Local0++; CNT--; Return (Local0 + CNT) }
        AmlInterpreter interpreter = Load(terms:
        [
            Name("CNT", Int(5)),
            Method("TEST", 0, false, Store(One, Local(0)), Op(0x75, Local(0)), Op(0x76, NameString("CNT")), Return(Add(Local(0), NameString("CNT"), Null))),
        ]);
        Assert.Equal(6UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\TEST")).Value);
        Assert.Equal(4UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\CNT")).Value);
    }

    public static TheoryData<byte[], bool> LogicalCases => new()
    {
        { LEqual(Int(3), Int(3)), true },
        { LEqual(Int(3), Int(4)), false },
        { LLess(Int(3), Int(4)), true },
        { Op(0x94, Int(3), Int(4)), false },                                   // LGreater
        { Op(0x92, LEqual(Int(3), Int(4))), true },                            // LNotEqual = LNot (LEqual ())
        { Op(0x90, One, Int(2)), true },                                       // LAnd
        { Op(0x90, One, Zero), false },
        { Op(0x91, Zero, Int(7)), true },                                      // LOr
        { Op(0x91, Zero, Zero), false },
        { LEqual(Str("abc"), Str("abc")), true },
        { LLess(Str("abc"), Str("abd")), true },
        { LEqual(Buf(1, 2, 3), Buf(1, 2, 3)), true },
        { LEqual(Buf(1, 2, 3), Buf(1, 2)), false },                            // same prefix, different length
        { LLess(Buf(1, 2), Buf(1, 2, 0)), true },
        { Op(0x94, Buf(2), Buf(1, 9)), true },
        { LEqual(Int(0x0201), Buf(1, 2)), true },                              // buffer converted to the first operand's type
    };

    [Theory]
    [MemberData(nameof(LogicalCases))]
    public void Logical_operators_return_ones_or_zero(byte[] expression, bool expected)
    {
        Assert.Equal(expected ? ulong.MaxValue : 0, RunInteger(Return(expression)));
    }

    [Fact]
    public void If_else_and_elseif()
    {
        // If (Arg0 == 1) { Return (10) } ElseIf (Arg0 == 2) { Return (20) } Else { Return (30) }
        AmlInterpreter interpreter = Load(terms: Method("PICK", 1, false,
            If(LEqual(Arg(0), One), Return(Int(10))),
            Else(If(LEqual(Arg(0), Int(2)), Return(Int(20))), Else(Return(Int(30))))));
        Assert.Equal([10UL, 20, 30], new ulong[] { 1, 2, 3 }.Select(a => ((AcpiInteger)interpreter.Evaluate(@"\PICK", new AcpiInteger(a))!).Value));
    }

    [Fact]
    public void While_with_continue_and_break()
    {
        // Local0 = 0; Local1 = 0
        // While (Local0 < 20) { Local0++; If (Local0 == 5) { Continue } If (Local0 == 8) { Break } Local1 += Local0 }
        // Return (Local1)   — 1+2+3+4+6+7
        ulong sum = RunInteger(
            Store(Zero, Local(0)), Store(Zero, Local(1)),
            While(LLess(Local(0), Int(20)),
                Op(0x75, Local(0)),
                If(LEqual(Local(0), Int(5)), [0x9F]),
                If(LEqual(Local(0), Int(8)), [0xA5]),
                Add(Local(1), Local(0), Local(1))),
            Return(Local(1)));
        Assert.Equal(23UL, sum);
    }

    [Fact]
    public void Methods_take_arguments_and_may_call_methods_defined_later()
    {
        // Method (TEST) { Return (SUM3 (1, 2, 3)) }   Method (SUM3, 3) { Return (Arg0 + Arg1 + Arg2) }
        AmlInterpreter interpreter = Load(terms:
        [
            Method("TEST", 0, false, Return(Call("SUM3", One, Int(2), Int(3)))),
            Method("SUM3", 3, false, Return(Add(Add(Arg(0), Arg(1), Null), Arg(2), Null))),
        ]);
        Assert.Equal(6UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\TEST")).Value);
        Assert.Equal(9UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\SUM3", new AcpiInteger(2), new AcpiInteger(3), new AcpiInteger(4))).Value);
    }

    [Fact]
    public void A_method_without_return_gives_null()
    {
        Assert.Null(RunTest(Store(One, Local(0))));
    }

    [Fact]
    public void Names_hold_integers_strings_buffers_and_packages()
    {
        AmlInterpreter interpreter = Load(terms:
        [
            Scope(@"\_SB", Device("DEV0", Name("_HID", Str("ACPI0012")), Name("_ADR", Int(3)), Name("BUF0", Buf(1, 2, 3)), Name("PKG0", Package(One, Str("x"))))),
        ]);
        Assert.Equal("ACPI0012", Assert.IsType<AcpiString>(interpreter.Evaluate(@"\_SB.DEV0._HID")).Value);
        Assert.Equal(3UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\_SB_.DEV0._ADR")).Value);
        Assert.Equal([1, 2, 3], Assert.IsType<AcpiBuffer>(interpreter.Evaluate(@"\_SB.DEV0.BUF0")).ToArray());
        Assert.True(AcpiObject.DeepEquals(new AcpiPackage(new AcpiInteger(1), new AcpiString("x")), interpreter.Evaluate(@"\_SB.DEV0.PKG0")));
        Assert.Equal([@"\_SB.DEV0._HID", @"\_SB.DEV0._ADR", @"\_SB.DEV0.BUF0", @"\_SB.DEV0.PKG0"], interpreter.GetChildren(@"\_SB.DEV0"));
    }

    [Fact]
    public void Buffer_with_computed_size_and_initializer()
    {
        // Local0 = 6; Return (Buffer (Local0) { 1, 2 })
        Assert.Equal([1, 2, 0, 0, 0, 0], RunBuffer(Store(Int(6), Local(0)), Return(Buffer(Local(0), 1, 2))));
        // Buffer (1) { 1, 2, 3 }: the initializer wins
        Assert.Equal([1, 2, 3], RunBuffer(Return(Buffer(One, 1, 2, 3))));
        // Buffer (Zero) {}
        Assert.Empty(RunBuffer(Return(Buffer(Zero))));
    }

    [Fact]
    public void Packages_and_var_packages()
    {
        // Local0 = 3; Return (VarPackage (Local0) { 1, "a" })
        var variable = Assert.IsType<AcpiPackage>(RunTest(Store(Int(3), Local(0)), Return(VarPackage(Local(0), One, Str("a")))));
        Assert.Equal(3, variable.Count);
        Assert.IsType<AcpiUninitialized>(variable[2]);
        // Package (2) { 1, 2, 3 } keeps two elements
        Assert.Equal(2, Assert.IsType<AcpiPackage>(RunTest(Return(PackageN(2, One, Int(2), Int(3))))).Count);
        // Nested packages
        var nested = Assert.IsType<AcpiPackage>(RunTest(Return(Package(Package(One), Buf(7)))));
        Assert.Equal([7], Assert.IsType<AcpiBuffer>(nested[1]).ToArray());
    }

    [Fact]
    public void Package_names_resolve_to_values_fields_and_device_references()
    {
        // Name (INT1, 5) Name (BUF1, Buffer () { 9 }) Device (DEV1) {} Name (PKG1, Package () { INT1, BUF1, DEV1, NONE, LATE }) Name (LATE, "l")
        // Method (TEST) { CreateByteField (BUF1, 0, BYT1); Return (Package () { BYT1, INT1 }) }
        AmlInterpreter interpreter = Load(terms:
        [
            Name("INT1", Int(5)), Name("BUF1", Buf(9)), Device("DEV1"),
            Name("PKG1", Package(NameString("INT1"), NameString("BUF1"), NameString("DEV1"), NameString("NONE"), NameString("LATE"))),
            Name("LATE", Str("l")),
            Method("TEST", 0, false, Op(0x8C, NameString("BUF1"), Zero, NameString("BYT1")), Return(Package(NameString("BYT1"), NameString("INT1")))),
        ]);
        var package = Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\PKG1"));
        Assert.Equal(5UL, Assert.IsType<AcpiInteger>(package[0]).Value);
        Assert.Equal([9], Assert.IsType<AcpiBuffer>(package[1]).ToArray());
        Assert.Equal(@"\DEV1", Assert.IsAssignableFrom<AcpiReference>(package[2]).TargetPath);
        Assert.IsType<AcpiUninitialized>(package[3]);
        Assert.Equal("l", Assert.IsType<AcpiString>(package[4]).Value);
        var fromMethod = Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\TEST"));
        Assert.Equal([9UL, 5], fromMethod.Elements.Select(e => ((AcpiInteger)e).Value));
    }

    [Fact]
    public void Index_and_derefof_on_packages_buffers_and_strings()
    {
        // Local0 = Package () { 1, 2, 3 }; Return (DerefOf (Local0 [2]))
        Assert.Equal(3UL, RunInteger(Store(Package(One, Int(2), Int(3)), Local(0)), Return(DerefOf(Index(Local(0), Int(2), Null)))));
        // Return (DerefOf (Buffer () { 5, 6 } [1]))
        Assert.Equal(6UL, RunInteger(Return(DerefOf(Index(Buf(5, 6), One, Null)))));
        // Return (DerefOf ("AB" [1]))
        Assert.Equal((ulong)'B', RunInteger(Return(DerefOf(Index(Str("AB"), One, Null)))));
        // Index (Local0, 1, Local1); Return (DerefOf (Local1)) — the reference stored in a local
        Assert.Equal(2UL, RunInteger(Store(Package(One, Int(2)), Local(0)), Index(Local(0), One, Local(1)), Return(DerefOf(Local(1)))));
    }

    [Fact]
    public void Stores_through_index_change_the_named_buffer_and_package()
    {
        // Name (TBUF, Buffer (3) {}) Name (TPKG, Package (2) {})
        // Method (TEST) { TBUF [1] = 0x1FF; TPKG [0] = "s"; Return (TBUF) }
        AmlInterpreter interpreter = Load(terms:
        [
            Name("TBUF", Buffer(Int(3))), Name("TPKG", PackageN(2)),
            Method("TEST", 0, false, Store(Int(0x1FF), Index(NameString("TBUF"), One, Null)), Store(Str("s"), Index(NameString("TPKG"), Zero, Null)), Return(NameString("TBUF"))),
        ]);
        Assert.Equal([0, 0xFF, 0], Assert.IsType<AcpiBuffer>(interpreter.Evaluate(@"\TEST")).ToArray());
        Assert.Equal("s", Assert.IsType<AcpiString>(Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\TPKG"))[0]).Value);
        // The returned buffer is the caller's: the namespace's TBUF is not affected by later stores.
        Assert.Equal([0, 0xFF, 0], Assert.IsType<AcpiBuffer>(interpreter.Evaluate(@"\TBUF")).ToArray());
    }

    [Fact]
    public void Sizeof_buffers_strings_packages_and_integers()
    {
        Assert.Equal(3UL, RunInteger(Store(Buf(1, 2, 3), Local(0)), Return(SizeOf(Local(0)))));
        Assert.Equal(5UL, RunInteger(Store(Str("hello"), Local(0)), Return(SizeOf(Local(0)))));
        Assert.Equal(2UL, RunInteger(Store(Package(One, One), Local(0)), Return(SizeOf(Local(0)))));
        // SizeOf (Integer) is the integer width in bytes (ACPICA), as QEMU's _LSI path relies on.
        Assert.Equal(8UL, RunInteger(Store(One, Local(0)), Return(SizeOf(Local(0)))));
        Assert.Equal(4UL, RunInteger(32, Store(One, Local(0)), Return(SizeOf(Local(0)))));
    }

    [Fact]
    public void Objecttype_of_data_and_named_objects()
    {
        // Device (DEV0) {} OperationRegion (REG0, SystemMemory, 0x10000, 16) Field (REG0, ByteAcc) { FLD0, 8 } Name (BUF0, Buffer (4) {})
        // Method (TEST) { CreateByteField (BUF0, 0, BF00); Local0 = …; Return (Package () { ObjectType (x) … }) }
        AmlInterpreter interpreter = Load(terms:
        [
            Device("DEV0"), Region("REG0", 0, DWord(0x1_0000), Int(16)), Field("REG0", 0x01, ("FLD0", 8)), Name("BUF0", Buffer(Int(4))),
            Method("TEST", 0, false,
                Op(0x8C, NameString("BUF0"), Zero, NameString("BF00")),
                Store(Int(1), Local(0)), Store(Str("s"), Local(1)), Store(Buf(1), Local(2)), Store(Package(One), Local(3)),
                Return(Package(
                    Op(0x8E, Local(0)), Op(0x8E, Local(1)), Op(0x8E, Local(2)), Op(0x8E, Local(3)), Op(0x8E, Local(4)),
                    Op(0x8E, NameString("FLD0")), Op(0x8E, NameString("DEV0")), Op(0x8E, NameString("TEST")), Op(0x8E, NameString("REG0")), Op(0x8E, NameString("BF00"))))),
        ]);
        var types = Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\TEST"));
        Assert.Equal([1UL, 2, 3, 4, 0, 5, 6, 8, 10, 14], types.Elements.Select(e => ((AcpiInteger)e).Value));
    }

    public static TheoryData<int, byte[], byte[]> ConcatenateCases => new()
    {
        { 64, Concatenate(Buf(1, 2), Buf(3), Null), new byte[] { 1, 2, 3 } },
        { 64, Concatenate(Buf(1), Int(0x0302), Null), new byte[] { 1, 2, 3, 0, 0, 0, 0, 0, 0 } },
        { 32, Concatenate(Buf(1), Int(0x0302), Null), new byte[] { 1, 2, 3, 0, 0 } },
        { 64, Concatenate(Int(1), Int(2), Null), new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0 } },
        { 32, Concatenate(Int(1), Buf(2, 3), Null), new byte[] { 1, 0, 0, 0, 2, 3, 0, 0 } },
        { 64, Concatenate(Buf(), Buf(), Null), Array.Empty<byte>() },
        { 64, Concatenate(Buf(9), Str("A"), Null), new byte[] { 9, 0x41, 0 } },
    };

    [Theory]
    [MemberData(nameof(ConcatenateCases))]
    public void Concatenate_builds_buffers_with_conversion_rules(int width, byte[] expression, byte[] expected)
    {
        Assert.Equal(expected, RunBuffer(width, Return(expression)));
    }

    [Fact]
    public void Concatenate_strings_and_store_into_its_own_operand()
    {
        Assert.Equal("abcdef", Assert.IsType<AcpiString>(RunTest(Return(Concatenate(Str("abc"), Str("def"), Null)))).Value);
        Assert.Equal("n=0000002A", Assert.IsType<AcpiString>(RunTest(32, Return(Concatenate(Str("n="), Int(42), Null)))).Value);
        // Local7 = Buffer (0) {}; Concatenate (Local7, Buffer () { 1 }, Local7) twice — NCAL's byte loop
        Assert.Equal([1, 1], RunBuffer(Store(Buffer(Zero), Local(7)), Concatenate(Local(7), Buf(1), Local(7)), Concatenate(Local(7), Buf(1), Local(7)), Return(Local(7))));
    }

    [Fact]
    public void Tobuffer_and_tointeger()
    {
        Assert.Equal([0x34, 0x12, 0, 0, 0, 0, 0, 0], RunBuffer(Return(Op(0x96, Int(0x1234), Null))));
        Assert.Equal([0x34, 0x12, 0, 0], RunBuffer(32, Return(Op(0x96, Int(0x1234), Null))));
        Assert.Equal([0x41, 0x42, 0], RunBuffer(Return(Op(0x96, Str("AB"), Null))));
        // ToBuffer (Local0, Local1) stores the result too
        Assert.Equal([5], RunBuffer(Store(Buf(5), Local(0)), Op(0x96, Local(0), Local(1)), Return(Local(1))));
        Assert.Equal(31UL, RunInteger(Return(Op(0x99, Str("0x1F"), Null))));
        Assert.Equal(123UL, RunInteger(Return(Op(0x99, Str("123"), Null))));
        Assert.Equal(0x0201UL, RunInteger(Return(Op(0x99, Buf(1, 2), Null))));
    }

    [Fact]
    public void Buffer_fields_alias_their_buffer()
    {
        // Name (BUF0, Buffer (8) {})
        // Method (TEST) { CreateDWordField (BUF0, 2, DW00); CreateBitField (BUF0, 63, BIT0); CreateWordField (BUF0, 0, WD00)
        //                 DW00 = 0x11223344; BIT0 = One; WD00 = 0xABCDEF; Return (BUF0) }
        AmlInterpreter interpreter = Load(terms:
        [
            Name("BUF0", Buffer(Int(8))),
            Method("TEST", 0, false,
                Op(0x8A, NameString("BUF0"), Int(2), NameString("DW00")),
                Op(0x8D, NameString("BUF0"), Int(63), NameString("BIT0")),
                Op(0x8B, NameString("BUF0"), Zero, NameString("WD00")),
                Store(DWord(0x11223344), NameString("DW00")), Store(One, NameString("BIT0")), Store(Int(0xABCDEF), NameString("WD00")),
                Return(NameString("BUF0"))),
        ]);
        Assert.Equal([0xEF, 0xCD, 0x44, 0x33, 0x22, 0x11, 0, 0x80], Assert.IsType<AcpiBuffer>(interpreter.Evaluate(@"\TEST")).ToArray());
    }

    [Fact]
    public void Buffer_fields_read_as_integers_or_buffers()
    {
        // Local0 = Buffer () { 1, 2, 3, 4, 5, 6, 7, 8, 9 }
        // CreateByteField (Local0, 1, BYT0); CreateField (Local0, 8, 8, FLD0); CreateQWordField (Local0, 1, QW00); CreateField (Local0, 4, 8, ODD0)
        // Return (Package () { BYT0, FLD0, QW00, ODD0 })
        byte[][] body =
        [
            Store(Buf(1, 2, 3, 4, 5, 6, 7, 8, 9), Local(0)),
            Op(0x8C, Local(0), One, NameString("BYT0")),
            ExtOp(0x13, Local(0), Int(8), Int(8), NameString("FLD0")),
            Op(0x8F, Local(0), One, NameString("QW00")),
            ExtOp(0x13, Local(0), Int(4), Int(8), NameString("ODD0")),
            Return(Package(NameString("BYT0"), NameString("FLD0"), NameString("QW00"), NameString("ODD0"))),
        ];
        var wide = Assert.IsType<AcpiPackage>(RunTest(64, body));
        Assert.Equal(2UL, Assert.IsType<AcpiInteger>(wide[0]).Value);
        Assert.Equal([2], Assert.IsType<AcpiBuffer>(wide[1]).ToArray());      // CreateField: always a Buffer (ACPICA ≥ 2020)
        Assert.Equal(0x0908070605040302UL, Assert.IsType<AcpiInteger>(wide[2]).Value);
        Assert.Equal([0x20], Assert.IsType<AcpiBuffer>(wide[3]).ToArray());  // bits 4..11: high nibble of 1, low nibble of 2
        var narrow = Assert.IsType<AcpiPackage>(RunTest(32, body));
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9], Assert.IsType<AcpiBuffer>(narrow[2]).ToArray()); // 64 bits > 32-bit integer
    }

    [Fact]
    public void Storing_a_longer_buffer_into_a_named_buffer_replaces_it_unless_acpica_truncation_is_asked_for()
    {
        // Name (INPT, Buffer (2) { 1, 2 })  Method (TEST) { Concatenate (INPT, Buffer () { 3, 4 }, INPT); Return (INPT) }
        byte[][] terms = [Name("INPT", Buf(1, 2)), Method("TEST", 0, false, Concatenate(NameString("INPT"), Buf(3, 4), NameString("INPT")), Return(NameString("INPT")))];
        Assert.Equal([1, 2, 3, 4], Assert.IsType<AcpiBuffer>(Load(terms: terms).Evaluate(@"\TEST")).ToArray());
        var acpica = new AmlInterpreterOptions { AcpicaBufferStoreTruncation = true };
        Assert.Equal([1, 2], Assert.IsType<AcpiBuffer>(Load(options: acpica, terms: terms).Evaluate(@"\TEST")).ToArray());
    }

    [Fact]
    public void Storing_other_types_into_named_objects_converts_to_the_existing_type()
    {
        // Name (BUF0, Buffer (4) { 9, 9, 9, 9 }) Name (INT0, 0) Name (STR0, "") Name (EMP0, Buffer (0) {})
        // Method (TEST) { BUF0 = 0x0102; INT0 = Buffer () { 1, 2 }; STR0 = 0x2A; EMP0 = Buffer () { 7, 8, 9 } }
        AmlInterpreter interpreter = Load(terms:
        [
            Name("BUF0", Buf(9, 9, 9, 9)), Name("INT0", Zero), Name("STR0", Str("")), Name("EMP0", Buffer(Zero)),
            Method("TEST", 0, false, Store(Int(0x0102), NameString("BUF0")), Store(Buf(1, 2), NameString("INT0")), Store(Int(0x2A), NameString("STR0")), Store(Buf(7, 8, 9), NameString("EMP0"))),
        ]);
        interpreter.Evaluate(@"\TEST");
        Assert.Equal([2, 1, 0, 0], Assert.IsType<AcpiBuffer>(interpreter.Evaluate(@"\BUF0")).ToArray());
        Assert.Equal(0x0201UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\INT0")).Value);
        Assert.Equal("000000000000002A", Assert.IsType<AcpiString>(interpreter.Evaluate(@"\STR0")).Value);
        Assert.Equal([7, 8, 9], Assert.IsType<AcpiBuffer>(interpreter.Evaluate(@"\EMP0")).ToArray());
    }

    [Fact]
    public void Locals_hold_copies()
    {
        // Local0 = Buffer () { 1, 2 }; Local1 = Local0; Local1 [0] = 9; Return (Local0)
        Assert.Equal([1, 2], RunBuffer(Store(Buf(1, 2), Local(0)), Store(Local(0), Local(1)), Store(Int(9), Index(Local(1), Zero, Null)), Return(Local(0))));
    }

    [Fact]
    public void Refof_derefof_condrefof_and_stores_through_arg_references()
    {
        // Name (INT1, 1)  Method (SETR, 1) { Arg0 = 7 }
        // Method (TEST) { SETR (RefOf (INT1)); Local0 = RefOf (INT1); Local2 = CondRefOf (NONE, Local3)
        //                 Return (Package () { DerefOf (Local0), CondRefOf (INT1), Local2 }) } — packages take TermArgs here
        AmlInterpreter interpreter = Load(terms:
        [
            Name("INT1", One),
            Method("SETR", 1, false, Store(Int(7), Arg(0))),
            Method("TEST", 0, false,
                Call("SETR", Op(0x71, NameString("INT1"))),
                Store(Op(0x71, NameString("INT1")), Local(0)),
                Store(ExtOp(0x12, NameString("NONE"), Local(3)), Local(2)),
                Store(ExtOp(0x12, NameString("INT1"), Null), Local(4)),
                Return(Package(DerefOf(Local(0)), Local(4), Local(2)))),
        ]);
        var result = Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\TEST"));
        Assert.Equal([7UL, ulong.MaxValue, 0], result.Elements.Select(e => ((AcpiInteger)e).Value));
        Assert.Equal(7UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\INT1")).Value);
    }

    [Fact]
    public void Objects_a_method_creates_exist_only_during_each_call()
    {
        // Method (TEST) { Name (LOC0, 5); LOC0++; Return (LOC0) }
        AmlInterpreter interpreter = Load(terms: Method("TEST", 0, false, Name("LOC0", Int(5)), Op(0x75, NameString("LOC0")), Return(NameString("LOC0"))));
        Assert.Equal(6UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\TEST")).Value);
        Assert.Equal(6UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\TEST")).Value);
        Assert.False(interpreter.Exists(@"\TEST.LOC0"));
    }

    [Fact]
    public void Module_level_code_runs_at_load()
    {
        // Name (FLAG, 1)  If (FLAG == 1) { Name (SEEN, "yes") }  Store (2, FLAG)
        AmlInterpreter interpreter = Load(terms: [Name("FLAG", One), If(LEqual(NameString("FLAG"), One), Name("SEEN", Str("yes"))), Store(Int(2), NameString("FLAG"))]);
        Assert.Equal("yes", Assert.IsType<AcpiString>(interpreter.Evaluate(@"\SEEN")).Value);
        Assert.Equal(2UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\FLAG")).Value);
    }

    [Fact]
    public void Names_are_searched_up_the_scopes_and_paths_with_prefixes_are_exact()
    {
        // Name (ROOT, 1) Scope (\_SB) { Name (SBNM, 2) Device (DEV0) { Method (TEST) { Return (ROOT + SBNM + ^^SBNM + \_SB.SBNM) } } }
        // (a method is a scope: ^ from TEST is DEV0, ^^ is \_SB)
        AmlInterpreter interpreter = Load(terms:
        [
            Name("ROOT", One),
            Scope(@"\_SB", Name("SBNM", Int(2)), Device("DEV0", Method("TEST", 0, false,
                Return(Add(Add(NameString("ROOT"), NameString("SBNM"), Null), Add(NameString("^^SBNM"), NameString(@"\_SB.SBNM"), Null), Null))))),
        ]);
        Assert.Equal(7UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\_SB.DEV0.TEST")).Value);
    }

    [Fact]
    public void Serialized_methods_run_one_at_a_time_and_may_recurse()
    {
        // OperationRegion (PORT, SystemIO, 0x80, 1) Field (PORT, ByteAcc) { P80, 8 }
        // Method (SLOW, 0, Serialized) { P80 = 1 }   Method (RECU, 1, Serialized) { If (Arg0) { Return (RECU (Arg0 - 1) + 1) } Return (0) }
        var platform = new RecordingPlatform();
        int inside = 0;
        int most = 0;
        platform.OnWrite = () =>
        {
            int now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            Thread.Sleep(5);
            Interlocked.Decrement(ref inside);
        };
        AmlInterpreter interpreter = Load(platform, terms:
        [
            Region("PORT", 1, Int(0x80), One), Field("PORT", 0x01, ("P80", 8)),
            Method("SLOW", 0, true, Store(One, NameString("P80"))),
            Method("RECU", 1, true, If(Arg(0), Return(Add(Call("RECU", Op(0x74, Arg(0), One, Null)), One, Null))), Return(Zero)),
        ]);

        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ => interpreter.Evaluate(@"\SLOW"));

        Assert.Equal(1, most);
        Assert.Equal(16, platform.Writes.Count);
        Assert.Equal(20UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\RECU", new AcpiInteger(20))).Value);
    }

    [Fact]
    public void Notify_reports_the_device_path_and_value_after_the_method_ends()
    {
        // Scope (\_SB) { Device (NVDR) {} }  Method (TEST) { Notify (\_SB.NVDR, 0x81); Local0 = RefOf (\_SB.NVDR); Notify (Local0, 0x80) }
        var seen = new List<(string, uint)>();
        AmlInterpreter interpreter = Load(options: new AmlInterpreterOptions { NotifyHandler = (p, v) => seen.Add((p, v)) }, terms:
        [
            Scope(@"\_SB", Device("NVDR")),
            Method("TEST", 0, false, Op(0x86, NameString(@"\_SB.NVDR"), Int(0x81)), Store(Op(0x71, NameString(@"\_SB.NVDR")), Local(0)), Op(0x86, Local(0), Int(0x80))),
        ]);
        interpreter.Evaluate(@"\TEST");
        Assert.Equal([(@"\_SB.NVDR", 0x81u), (@"\_SB.NVDR", 0x80u)], seen);
    }

    [Fact]
    public void Strings_revision_and_timer()
    {
        Assert.Equal("hello", Assert.IsType<AcpiString>(RunTest(Return(Str("hello")))).Value);
        Assert.Equal(0x20220331UL, RunInteger(Return(ExtOp(0x30))));
        ulong first = RunInteger(Return(ExtOp(0x33)));
        Assert.True(RunInteger(Return(ExtOp(0x33))) >= first);
    }

    [Fact]
    public void Predefined_root_scopes_exist()
    {
        var interpreter = new AmlInterpreter(new RecordingPlatform());
        Assert.Equal(AcpiObjectType.Device, interpreter.GetObjectType(@"\_SB"));
        Assert.Equal(AcpiObjectType.Uninitialized, interpreter.GetObjectType(@"\_GPE"));
        Assert.Equal(2UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\_REV")).Value);
        Assert.Null(interpreter.GetObjectType(@"\NONE"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
