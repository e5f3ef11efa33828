using Vnvdimm.Formats.Aml;
using static Vnvdimm.Formats.Aml.AmlArg;
using static Vnvdimm.Formats.Aml.AmlLocal;
using static Vnvdimm.Formats.Aml.Asl;

namespace Vnvdimm.Tests.Formats.Aml;

/// <summary>Each operator against iasl 20200925 output (ASL in the comments; ASL+ operators as iasl compiles them).</summary>
public sealed class AslOperatorTests
{
    private static void AssertEncodes(string expectedHex, AmlObject aml) =>
        Assert.Equal(Convert.ToHexString(Convert.FromHexString(expectedHex)), Convert.ToHexString(aml.ToArray()));

    // Local1 = (Local1 << 0x03)
    [Fact]
    public void ShiftLeft_with_target() => AssertEncodes("79610A0361", ShiftLeft(Local1, Int(3), Local1));

    // QEMU's form: Store (ShiftLeft (Local1, 0x03), Local1)
    [Fact]
    public void ShiftLeft_without_target_writes_null_name() => AssertEncodes("7079610A030061", Store(ShiftLeft(Local1, Int(3)), Local1));

    // Local3 += Local1
    [Fact]
    public void Add_operator() => AssertEncodes("72636163", Add(Local3, Local1, Local3));

    // Local1 = (RLEN - 0x04)
    [Fact]
    public void Subtract_operator() => AssertEncodes("74524C454E0A0461", Subtract(Path("RLEN"), Int(4), Local1));

    // Concatenate (Local7, Local2, Local7)
    [Fact]
    public void Concatenate_operator() => AssertEncodes("73676267", Concatenate(Local7, Local2, Local7));

    // Local2++
    [Fact]
    public void Increment_operator() => AssertEncodes("7562", Increment(Local2));

    // Local2 = Arg3 [Zero]  (iasl folds the store into Index's target)
    [Fact]
    public void Index_with_target() => AssertEncodes("886B0062", Index(Arg3, AmlInteger.Zero, Local2));

    // TBUF [Zero] = DerefOf (Arg0 [One])
    [Fact]
    public void Store_into_index_of_derefof_index() =>
        AssertEncodes("708388680100885442554600" + "00", Store(DerefOf(Index(Arg0, AmlInteger.One)), Index(Path("TBUF"), AmlInteger.Zero)));

    // Local3 = DerefOf (Local2)
    [Fact]
    public void DerefOf_operator() => AssertEncodes("70836263", Store(DerefOf(Local2), Local3));

    // Local1 = SizeOf (Local0)
    [Fact]
    public void SizeOf_operator() => AssertEncodes("70876061", Store(SizeOf(Local0), Local1));

    // If ((ObjectType (Arg3) == 0x04) && (SizeOf (Arg3) == One)) { Return (One) }
    [Fact]
    public void LAnd_ObjectType_LEqual() =>
        AssertEncodes("A00D90938E6B0A0493876B01A401", new AmlIf(LAnd(LEqual(ObjectType(Arg3), Int(4)), LEqual(SizeOf(Arg3), AmlInteger.One))) { Return(AmlInteger.One) });

    // If ((Local6 == Zero) || (Arg0 != Local0)) { Return (Zero) }
    [Fact]
    public void LOr_LNotEqual() =>
        AssertEncodes("A00B9193660092936860A400", new AmlIf(LOr(LEqual(Local6, AmlInteger.Zero), LNotEqual(Arg0, Local0))) { Return(AmlInteger.Zero) });

    // If ((Arg0 != Arg1) || (Arg0 < Arg1)) { Return (One) }
    [Fact]
    public void LLess_and_LNot() =>
        AssertEncodes("A00B9192936869956869A401", new AmlIf(LOr(LNot(LEqual(Arg0, Arg1)), LLess(Arg0, Arg1))) { Return(AmlInteger.One) });

    // Return (ToBuffer (Arg0))
    [Fact]
    public void ToBuffer_without_target() => AssertEncodes("A4966800", Return(ToBuffer(Arg0)));

    // ToBuffer (BUFF, LSA)
    [Fact]
    public void ToBuffer_with_target() => AssertEncodes("96425546464C53415F", ToBuffer(Path("BUFF"), Path("LSA")));

    // CreateDWordField (Arg0, 0x04, SLSA)
    [Fact]
    public void CreateDWordField_operator() => AssertEncodes("8A680A04534C5341", CreateDWordField(Arg0, Int(4), "SLSA"));

    // CreateField (Arg0, 0x20, (Local1 << 0x03), BUFF)
    [Fact]
    public void CreateField_operator() => AssertEncodes("5B13680A2079610A030042554646", CreateField(Arg0, Int(32), ShiftLeft(Local1, Int(3)), "BUFF"));

    // Notify (\_SB.NVDR, 0x80)
    [Fact]
    public void Notify_operator() => AssertEncodes("865C2E5F53425F4E5644520A80", Notify(Path("\\_SB.NVDR"), Int(0x80)));

    // Return (FOO (One, 0x00010000))
    [Fact]
    public void Method_call() => AssertEncodes("A4464F4F5F010C00000100", Return(Call("FOO", AmlInteger.One, Int(0x10000))));

    [Fact]
    public void Method_call_takes_at_most_seven_arguments() =>
        Assert.Throws<ArgumentException>(() => Call("FOO", [.. Enumerable.Repeat<AmlObject>(AmlInteger.Zero, 8)]));

    [Fact]
    public void Extended_opcodes_carry_the_prefix()
    {
        Assert.Equal(2, AmlWriter.GetOpcodeSize(AmlOpcode.Device));
        Assert.Equal(1, AmlWriter.GetOpcodeSize(AmlOpcode.Store));
        Assert.Equal(0x5B82, (ushort)AmlOpcode.Device);
    }

    [Fact]
    public void Writer_tracks_its_position()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new AmlWriter(buffer);
        writer.WriteOpcode(AmlOpcode.CreateField);
        writer.WriteDWord(1);
        writer.WriteQWord(2);
        writer.WriteWord(3);
        writer.WritePkgLength(63, includeSelf: true);

        Assert.Equal(2 + 4 + 8 + 2 + 2, writer.Position);
        Assert.Equal(writer.Position, buffer.WrittenCount);
    }
}
