using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Tests.Host.Configuration;

/// <summary>
/// qemu_strtosz and friends. Expected sizes are what Debian's qemu-system-x86_64 7.2 reported
/// in "info memdev" for "-object memory-backend-ram,id=x,size=TEXT" (or its refusal).
/// </summary>
public sealed class QemuValueTests
{
    [Theory]
    [InlineData("1K", 1024UL)]
    [InlineData("1.5M", 1572864UL)]
    [InlineData("1.k", 1024UL)]
    [InlineData("1.K", 1024UL)]
    [InlineData("0x1000", 4096UL)]
    [InlineData(" 4096", 4096UL)]
    [InlineData("+4096", 4096UL)]
    [InlineData("4096B", 4096UL)]
    [InlineData("4096b", 4096UL)]
    [InlineData("0.5K", 512UL)]
    [InlineData("1.0000001M", 1048576UL)]
    [InlineData("0.3333333K", 341UL)]
    [InlineData("1.9999999999999999999K", 1024UL)]
    [InlineData("010K", 10240UL)]
    [InlineData("1.25G", 1342177280UL)]
    [InlineData("16383P", 18445618173802708992UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void StrToSz_accepts_what_qemu_accepts(string text, ulong expected)
    {
        Assert.Equal(QemuValue.Status.Ok, QemuValue.StrToSz(text, 'B', out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("-1")]
    [InlineData("1kb")]
    [InlineData(".5M")]
    [InlineData("0x")]
    [InlineData("0x1.5")]
    [InlineData("1.5e3K")]
    [InlineData("1.5eK")]
    [InlineData("00x10")]
    [InlineData("4096 ")]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("18446744073709551616x")]
    [InlineData("99999999999999999999K")]
    public void StrToSz_refuses_what_qemu_refuses(string text)
    {
        Assert.Equal(QemuValue.Status.Invalid, QemuValue.StrToSz(text, 'B', out _));
    }

    [Theory]
    [InlineData("16E")]
    [InlineData("18446744073709551616")]
    [InlineData("17179869184G")]
    public void StrToSz_reports_overflow_as_out_of_range(string text)
    {
        Assert.Equal(QemuValue.Status.Range, QemuValue.StrToSz(text, 'B', out _));
    }

    [Fact]
    public void StrToSz_default_suffix_M_is_the_legacy_m_unit_and_hex_suffixes_warn()
    {
        Assert.Equal(QemuValue.Status.Ok, QemuValue.StrToSz("1024", 'M', out ulong mib));
        Assert.Equal(1UL << 30, mib);
        var warnings = new List<string>();
        Assert.Equal(QemuValue.Status.Ok, QemuValue.StrToSz("0x10K", 'B', out ulong hex, warnings.Add));
        Assert.Equal(16UL << 10, hex);
        Assert.Equal(["warning: Using a multiplier suffix on hex numbers is deprecated: 0x10K"], warnings);
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("yes", true)]
    [InlineData("true", true)]
    [InlineData("y", true)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    [InlineData("false", false)]
    [InlineData("n", false)]
    public void Booleans_are_qapi_bool_parse(string text, bool expected)
    {
        Assert.True(QemuValue.TryParseBool(text, out bool value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("On")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData("maybe")]
    public void Other_booleans_are_refused_with_qemus_message(string text)
    {
        var e = Assert.Throws<QemuOptionException>(() => QemuValue.ParseBool("unarmed", text));
        Assert.Equal("Parameter 'unarmed' expects 'on' or 'off'", e.Message);
    }

    [Theory]
    [InlineData("42", 0, 42UL)]
    [InlineData("0x10", 0, 16UL)]
    [InlineData("010", 0, 8UL)]
    [InlineData("-1", 0, ulong.MaxValue)]
    [InlineData(" 7", 10, 7UL)]
    public void StrToU64_is_strtoull(string text, int radix, ulong expected)
    {
        Assert.Equal(QemuValue.Status.Ok, QemuValue.StrToU64Full(text, radix, out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("08")]
    [InlineData("0x")]
    [InlineData("1.0")]
    [InlineData("")]
    public void StrToU64_refuses_partial_numbers(string text)
    {
        Assert.Equal(QemuValue.Status.Invalid, QemuValue.StrToU64Full(text, 0, out _));
    }

    [Theory]
    [InlineData("-2147483649", -2147483649L)]
    [InlineData("0x7fffffff", 2147483647L)]
    [InlineData("-0x10", -16L)]
    public void StrToI64_is_strtoll(string text, long expected)
    {
        Assert.Equal(QemuValue.Status.Ok, QemuValue.StrToI64Full(text, 0, out long value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void StrToI64_reports_overflow()
    {
        Assert.Equal(QemuValue.Status.Range, QemuValue.StrToI64Full("9223372036854775808", 0, out _));
        Assert.Equal(QemuValue.Status.Ok, QemuValue.StrToI64Full("-9223372036854775808", 0, out long min));
        Assert.Equal(long.MinValue, min);
    }
}
