using Vnvdimm.Formats.Aml;
using static Vnvdimm.Formats.Aml.AmlArg;
using static Vnvdimm.Formats.Aml.AmlLocal;
using static Vnvdimm.Formats.Aml.Asl;

namespace Vnvdimm.Tests.Formats.Aml;

/// <summary>Scope, Device, Method, If/Else, While, OperationRegion, Field; expected bytes from iasl 20200925.</summary>
public sealed class AmlTermContainerTests
{
    private static void AssertEncodes(string expectedHex, AmlObject aml)
    {
        Assert.Equal(Convert.ToHexString(Convert.FromHexString(expectedHex)), Convert.ToHexString(aml.ToArray()));
        Assert.Equal(expectedHex.Length / 2, aml.Length);
    }

    // Scope (\_SB) { Name (FOO, 0x05) }
    [Fact]
    public void Scope_with_root_path() => AssertEncodes("100D5C5F53425F08464F4F5F0A05", new AmlScope("\\_SB") { Name("FOO", Int(5)) });

    // Device (\_SB.NVDR) { Name (_HID, "ACPI0012") }
    [Fact]
    public void Device_with_dual_name() =>
        AssertEncodes("5B821A5C2E5F53425F4E564452085F4849440D414350493030313200", new AmlDevice("\\_SB.NVDR") { Name("_HID", new AmlString("ACPI0012")) });

    // Method (NCAL, 5, Serialized) { Return (Arg4) }
    [Fact]
    public void Serialized_method_sets_bit_3() =>
        AssertEncodes("14084E43414C0DA46C", new AmlMethod("NCAL", 5, serialized: true) { Return(Arg4) });

    // Method (_DSM, 4, NotSerialized) { Return (Zero) }
    [Fact]
    public void Not_serialized_method() =>
        AssertEncodes("14085F44534D04A400", new AmlMethod("_DSM", 4, serialized: false) { Return(AmlInteger.Zero) });

    [Theory]
    [InlineData(0, false, 0, 0x00)] // _E04
    [InlineData(5, true, 0, 0x0D)] // NCAL
    [InlineData(1, true, 0, 0x09)] // RFIT
    [InlineData(3, true, 0, 0x0B)] // _LSW
    [InlineData(2, false, 15, 0xF2)]
    public void Method_flags(int arguments, bool serialized, int syncLevel, byte expected) =>
        Assert.Equal(expected, new AmlMethod("TEST", arguments, serialized, syncLevel).Flags);

    // Method (TST, 1) { If (Arg0 == Zero) { Local0 = One } Else { Local0 = 0x02 } }
    [Fact]
    public void If_else() =>
        AssertEncodes("14145453545F01A007936800700160A105700A0260", new AmlMethod("TST", 1, serialized: false)
        {
            new AmlIf(LEqual(Arg0, AmlInteger.Zero)) { Store(AmlInteger.One, Local0) },
            new AmlElse { Store(Int(2), Local0) },
        });

    // If (Arg4 == Zero) { Local0 = One } ElseIf (Arg4 == 0x00010000) { Local0 = 0x02 } Else { Local0 = 0x03 } Return (Local0)
    [Fact]
    public void Else_if_is_an_else_holding_an_if() =>
        AssertEncodes("14255453545F05A007936C00700160A114A00C936C0C00000100700A0260A105700A0360A460", new AmlMethod("TST", 5, serialized: false)
        {
            new AmlIf(LEqual(Arg4, AmlInteger.Zero)) { Store(AmlInteger.One, Local0) },
            new AmlElse
            {
                new AmlIf(LEqual(Arg4, Int(0x10000))) { Store(Int(2), Local0) },
                new AmlElse { Store(Int(3), Local0) },
            },
            Return(Local0),
        });

    // Method (TST, 0) { Local2 = Zero  While (Local2 < 0x08) { Local2++ } }
    [Fact]
    public void While_loop() =>
        AssertEncodes("14115453545F00700062A20795620A087562", new AmlMethod("TST", 0, serialized: false)
        {
            Store(AmlInteger.Zero, Local2),
            new AmlWhile(LLess(Local2, Int(8))) { Increment(Local2) },
        });

    // OperationRegion (NPIO, SystemIO, 0x0A18, 0x04)
    [Fact]
    public void Operation_region() =>
        AssertEncodes("5B804E50494F010B180A0A04", new AmlOperationRegion("NPIO", AmlRegionSpace.SystemIO, Int(0x0A18), Int(4)));

    // Field (NRAM, DWordAcc, NoLock, Preserve) { HDLE, 32, REVS, 32, FUNC, 32, FARG, 32672 }
    [Fact]
    public void Field_with_named_elements() =>
        AssertEncodes("5B811C4E52414D0348444C4520524556532046554E43204641524780FA07",
            new AmlField("NRAM", AmlFieldAccessType.DWordAcc, AmlFieldLockRule.NoLock, AmlFieldUpdateRule.Preserve)
            {
                { "HDLE", 32 },
                { "REVS", 32 },
                { "FUNC", 32 },
                { "FARG", 32672 },
            });

    // Field (NRAM, ByteAcc, Lock, WriteAsZeros) { Offset (0x04), AAAA, 8 }
    [Fact]
    public void Field_flags_and_reserved_elements()
    {
        var field = new AmlField("NRAM", AmlFieldAccessType.ByteAcc, AmlFieldLockRule.Lock, AmlFieldUpdateRule.WriteAsZeros);
        field.AddReserved(32);
        field.Add("AAAA", 8);
        AssertEncodes("5B810D4E52414D51002041414141" + "08", field);
    }

    [Fact]
    public void Field_element_names_are_single_segments() =>
        Assert.Throws<ArgumentException>(() => new AmlField("NRAM", AmlFieldAccessType.AnyAcc, AmlFieldLockRule.NoLock, AmlFieldUpdateRule.Preserve) { { "\\FOO", 8 } });

    [Fact]
    public void Containers_freeze_once_measured()
    {
        var scope = new AmlScope("\\_SB") { Name("FOO", AmlInteger.One) };
        _ = scope.Length;

        Assert.True(scope.IsFrozen);
        Assert.Throws<InvalidOperationException>(() => scope.Add(Name("BAR", AmlInteger.One)));
    }

    [Fact]
    public void Package_length_grows_to_two_bytes_past_63()
    {
        // 60 payload bytes + name: the scope body crosses the one-byte limit.
        var scope = new AmlScope("\\_SB") { Name("BUF", AmlBuffer.Zeroed(52)) };
        byte[] bytes = scope.ToArray();

        Assert.Equal(0x10, bytes[0]);
        Assert.True(AmlPkgLength.TryDecode(bytes.AsSpan(1), out int value, out int size));
        Assert.Equal(2, size);
        Assert.Equal(bytes.Length - 1, value);
    }
}
