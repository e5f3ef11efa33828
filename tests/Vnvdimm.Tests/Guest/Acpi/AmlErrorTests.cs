using Vnvdimm.Guest.Acpi;
using static Vnvdimm.Tests.Guest.Acpi.AmlAsm;
using static Vnvdimm.Tests.Guest.Acpi.AmlTestHost;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>Malformed tables, unsupported opcodes and run-time errors: always an AmlException with a place.</summary>
public sealed class AmlErrorTests
{
    [Fact]
    public void An_unsupported_opcode_is_named_with_its_offset()
    {
        // Method (TEST) { Local0 = 1; Acquire (MUT0, 0xFFFF) } — Acquire (0x5B23) is not supported
        byte[] table = Ssdt(Method("TEST", 0, false, Store(One, Local(0)), ExtOp(0x23, NameString("MUT0"), [0xFF, 0xFF])));
        var interpreter = new AmlInterpreter(new RecordingPlatform());
        interpreter.LoadTable(table);

        var error = Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\TEST"));

        int offset = table.AsSpan().IndexOf(new byte[] { 0x5B, 0x23 });
        Assert.Equal(offset, error.Offset);
        Assert.Equal(0x5B23, error.Opcode);
        Assert.Contains("0x5B23 (Acquire)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"offset 0x{offset:X}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_opcode_at_module_level_fails_the_load()
    {
        byte[] table = Ssdt(Name("OKAY", One), [0x02]);
        var error = Assert.Throws<AmlException>(() => new AmlInterpreter(new RecordingPlatform()).LoadTable(table));
        Assert.Equal(table.Length - 1, error.Offset);
        Assert.Contains("opcode 0x02", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_problems_are_reported()
    {
        byte[] table = Ssdt(Name("OKAY", One));
        var interpreter = new AmlInterpreter(new RecordingPlatform());
        Assert.StartsWith("AE_INVALID_TABLE_LENGTH", Assert.Throws<AmlException>(() => interpreter.LoadTable(table.AsSpan(0, table.Length - 3))).Message, StringComparison.Ordinal);
        Assert.StartsWith("AE_BAD_HEADER", Assert.Throws<AmlException>(() => interpreter.LoadTable(table.AsSpan(0, 20))).Message, StringComparison.Ordinal);
        byte[] corrupt = (byte[])table.Clone();
        corrupt[^1] ^= 0x40;
        Assert.StartsWith("AE_BAD_CHECKSUM", Assert.Throws<AmlException>(() => interpreter.LoadTable(corrupt)).Message, StringComparison.Ordinal);
        Assert.StartsWith("AE_BAD_SIGNATURE", Assert.Throws<AmlException>(() => interpreter.LoadTable(Table("NFIT", 1))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_pkglength_is_malformed_aml_with_its_offset()
    {
        // Scope opcode, then a PkgLength lead byte announcing two more bytes that are not there.
        byte[] table = Table("SSDT", 2, [0x10, 0x80]);
        var error = Assert.Throws<AmlException>(() => new AmlInterpreter(new RecordingPlatform()).LoadTable(table));
        Assert.Equal(37, error.Offset);
        Assert.Contains("PkgLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_running_past_its_parent_is_malformed()
    {
        // Scope (\) with PkgLength 0x3F but only a few bytes follow
        byte[] table = Table("SSDT", 2, [0x10, 0x3F, 0x5C, 0x00]);
        var error = Assert.Throws<AmlException>(() => new AmlInterpreter(new RecordingPlatform()).LoadTable(table));
        Assert.StartsWith("AE_AML_BAD_ENCODING", error.Message, StringComparison.Ordinal);
        Assert.Equal(37, error.Offset);
    }

    [Fact]
    public void Bad_names_and_unterminated_strings_are_malformed()
    {
        byte[] lower = Table("SSDT", 2, Cat([0x08], "abcd"u8.ToArray(), [0x01]));
        var error = Assert.Throws<AmlException>(() => new AmlInterpreter(new RecordingPlatform()).LoadTable(lower));
        Assert.StartsWith("AE_AML_BAD_NAME", error.Message, StringComparison.Ordinal);
        Assert.Equal(37, error.Offset);

        byte[] unterminated = Table("SSDT", 2, Cat(Name("STR0", [0x0D, 0x41, 0x42])));
        Assert.StartsWith("AE_AML_BAD_ENCODING", Assert.Throws<AmlException>(() => new AmlInterpreter(new RecordingPlatform()).LoadTable(unterminated)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_body_that_ends_mid_term_is_malformed()
    {
        // Method (TEST) { Store (One, …) } with the target missing
        AmlInterpreter interpreter = Load(terms: Method("TEST", 0, false, [0x70, 0x01]));
        var error = Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\TEST"));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loops_are_bounded_by_the_loop_timeout()
    {
        // Method (TEST) { While (One) { } }
        AmlInterpreter interpreter = Load(options: new AmlInterpreterOptions { LoopTimeout = TimeSpan.FromMilliseconds(50) }, terms: Method("TEST", 0, false, While(One)));
        var error = Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\TEST"));
        Assert.StartsWith("AE_AML_LOOP_TIMEOUT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Recursion_is_bounded()
    {
        // Method (RECU) { Return (RECU ()) }
        AmlInterpreter interpreter = Load(terms: Method("RECU", 0, false, Return(Call("RECU"))));
        Assert.StartsWith("AE_AML_METHOD_LIMIT", Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\RECU")).Message, StringComparison.Ordinal);
        AmlInterpreter serialized = Load(terms: Method("RECU", 0, true, Return(Call("RECU"))));
        Assert.StartsWith("AE_AML_METHOD_LIMIT", Assert.Throws<AmlException>(() => serialized.Evaluate(@"\RECU")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_terms_are_refused_not_a_stack_overflow()
    {
        // Return (LNot (LNot (… 100000 times … One)))
        byte[] nested = Cat(Enumerable.Repeat(new byte[] { 0x92 }, 100_000).Append(One).ToArray());
        AmlInterpreter interpreter = Load(terms: Method("TEST", 0, false, Return(nested)));
        Assert.StartsWith("AE_AML_NESTING", Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\TEST")).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[][]> RuntimeErrors => new()
    {
        { "AE_NOT_FOUND", [Return(NameString("NONE"))] },
        { "AE_AML_UNINITIALIZED_LOCAL", [Return(Local(3))] },
        { "AE_AML_UNINITIALIZED_ARG", [Return(Arg(0))] },
        { "AE_AML_DIVIDE_BY_ZERO", [Return(Op(0x78, One, Zero, Null, Null))] },
        { "AE_AML_PACKAGE_LIMIT", [Return(DerefOf(Index(Package(One), Int(1), Null)))] },
        { "AE_AML_BUFFER_LIMIT", [Op(0x8A, Buf(1, 2), Zero, NameString("DW00"))] },
        { "AE_AML_OPERAND_VALUE", [ExtOp(0x13, Buf(1), Zero, Zero, NameString("NOBT"))] },
        { "AE_AML_OPERAND_TYPE", [Return(Add(Package(One), One, Null))] },
        { "AE_ALREADY_EXISTS", [Name("TWCE", One), Name("TWCE", One)] },
    };

    [Theory]
    [MemberData(nameof(RuntimeErrors))]
    public void Runtime_errors_have_acpica_status_names(string status, byte[][] body)
    {
        var error = Assert.Throws<AmlException>(() => RunTest(body));
        Assert.StartsWith(status, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Offset);
    }

    [Fact]
    public void Using_the_value_of_a_method_that_returns_nothing_fails()
    {
        // Method (NORV) {}  Method (TEST) { Return (NORV () + 1) }
        AmlInterpreter interpreter = Load(terms: [Method("NORV", 0, false), Method("TEST", 0, false, Return(Add(Call("NORV"), One, Null)))]);
        Assert.StartsWith("AE_AML_NO_RETURN_VALUE", Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\TEST")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declaring_devices_or_methods_inside_a_method_is_reported_as_unsupported()
    {
        AmlInterpreter interpreter = Load(terms: Method("TEST", 0, false, Method("INNR", 0, false)));
        var error = Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\TEST"));
        Assert.Contains("0x14 (Method)", error.Message, StringComparison.Ordinal);
        Assert.Equal(0x14, error.Opcode);
    }

    [Fact]
    public void Duplicate_names_fail_the_load()
    {
        byte[] table = Ssdt(Name("DUPL", One), Name("DUPL", One));
        Assert.StartsWith("AE_ALREADY_EXISTS", Assert.Throws<AmlException>(() => new AmlInterpreter(new RecordingPlatform()).LoadTable(table)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluating_a_missing_path_or_a_device_fails()
    {
        AmlInterpreter interpreter = Load(terms: Device("DEV0"));
        Assert.StartsWith("AE_NOT_FOUND", Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\_SB.NONE")).Message, StringComparison.Ordinal);
        Assert.StartsWith("AE_TYPE", Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\DEV0")).Message, StringComparison.Ordinal);
    }
}
