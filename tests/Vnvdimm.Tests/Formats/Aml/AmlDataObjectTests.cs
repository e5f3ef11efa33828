using Vnvdimm.Formats.Aml;

namespace Vnvdimm.Tests.Formats.Aml;

/// <summary>Integers, strings, buffers, packages, ToUUID; expected bytes from iasl 20200925 (revision-2 tables).</summary>
public sealed class AmlDataObjectTests
{
    // Name (I0, Zero) Name (I1, One) Name (I2, 0x12) Name (I3, 0x1234) Name (I4, 0x12345678) Name (I5, 0x123456789A)
    [Theory]
    [InlineData(0x0UL, "00")]
    [InlineData(0x1UL, "01")]
    [InlineData(0x12UL, "0A12")]
    [InlineData(0xFFUL, "0AFF")]
    [InlineData(0x1234UL, "0B3412")]
    [InlineData(0x10000UL, "0C00000100")] // QEMU's private handle
    [InlineData(0x12345678UL, "0C78563412")]
    [InlineData(0x123456789AUL, "0E9A78563412000000")]
    public void Integers_use_the_shortest_form(ulong value, string expectedHex)
    {
        var integer = new AmlInteger(value);
        Assert.Equal(Convert.FromHexString(expectedHex), integer.ToArray());
        Assert.Equal(expectedHex.Length / 2, integer.Length);
    }

    [Fact]
    public void Forced_dword_keeps_four_bytes_even_for_zero() =>
        Assert.Equal(Convert.FromHexString("0C00000000"), AmlInteger.DWord(0).ToArray());

    [Fact]
    public void Name_with_forced_dword_is_mema() =>
        // QEMU's build_append_named_dword(MEMA) after SeaBIOS patched it.
        Assert.Equal(Convert.FromHexString("084D454D410C00F0FF1F"), Asl.Name("MEMA", AmlInteger.DWord(0x1FFFF000)).ToArray());

    // Name (_HID, "ACPI0012")
    [Fact]
    public void Strings_are_nul_terminated() =>
        Assert.Equal(Convert.FromHexString("085F4849440D4143504930303132" + "00"), Asl.Name("_HID", new AmlString("ACPI0012")).ToArray());

    [Fact]
    public void Strings_reject_non_ascii() => Assert.Throws<ArgumentException>(() => new AmlString("é"));

    // Name (BUF, Buffer (0x08) { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 })
    [Fact]
    public void Buffers_carry_size_and_every_byte() =>
        Assert.Equal(Convert.FromHexString("084255465F110B0A080000000000000000"), Asl.Name("BUF", AmlBuffer.Zeroed(8)).ToArray());

    [Fact]
    public void Small_and_empty_buffers_use_zero_and_one_ops()
    {
        Assert.Equal(Convert.FromHexString("110200"), AmlBuffer.Empty.ToArray());
        Assert.Equal(Convert.FromHexString("11030101"), new AmlBuffer([0x01]).ToArray());
    }

    // Name (PKG, Package (0x03) { One, 0x1234, "AB" })
    [Fact]
    public void Packages_count_their_elements() =>
        Assert.Equal(
            Convert.FromHexString("08504B475F120A03010B34120D414200"),
            Asl.Name("PKG", new AmlPackage(AmlInteger.One, Asl.Int(0x1234), new AmlString("AB"))).ToArray());

    [Fact]
    public void Packages_hold_at_most_255_elements() =>
        Assert.Throws<ArgumentException>(() => new AmlPackage([.. Enumerable.Repeat<AmlObject>(AmlInteger.Zero, 256)]));

    // Name (UUID, ToUUID ("4309ac30-0d11-11e4-9191-0800200c9a66"))
    [Fact]
    public void ToUuid_uses_acpi_byte_order() =>
        Assert.Equal(
            Convert.FromHexString("085555494411130A1030AC0943110DE41191910800200C9A66"),
            Asl.Name("UUID", Asl.ToUuid("4309ac30-0d11-11e4-9191-0800200c9a66")).ToArray());

    [Fact]
    public void Locals_and_args_are_single_opcodes()
    {
        Assert.Equal(Enumerable.Range(0x60, 8).Select(b => (byte)b), Enumerable.Range(0, 8).Select(i => AmlLocal.Get(i).ToArray().Single()));
        Assert.Equal(Enumerable.Range(0x68, 7).Select(b => (byte)b), Enumerable.Range(0, 7).Select(i => AmlArg.Get(i).ToArray().Single()));
        Assert.Throws<ArgumentOutOfRangeException>(() => AmlLocal.Get(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => AmlArg.Get(7));
    }
}
