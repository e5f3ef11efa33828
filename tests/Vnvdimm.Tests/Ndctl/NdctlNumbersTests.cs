using Vnvdimm.Ndctl;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>ndctl's __parse_size64 and OPT_UINTEGER on hostile text: the values ndctl 76 gets, never an exception.</summary>
public sealed class NdctlNumbersTests
{
    [Theory]
    [InlineData("64M", 64UL << 20, 1UL << 20)]
    [InlineData("0x10k", 16UL << 10, 1UL << 10)]
    [InlineData("010", 8UL, 1UL)]
    [InlineData("1T", 1UL << 40, 1UL << 40)]
    [InlineData(" +2g", 2UL << 30, 1UL << 30)]
    [InlineData("0x1g", 1UL << 30, 1UL << 30)]
    [InlineData("", 0UL, 1UL)]
    [InlineData("16777215T", 16777215UL << 40, 1UL << 40)]
    public void Sizes_ndctl_accepts(string text, ulong expected, ulong units)
    {
        Assert.Equal(expected, NdctlNumbers.ParseSize64(text, out ulong parsedUnits));
        Assert.Equal(units, parsedUnits);
    }

    [Theory]
    [InlineData("99999999999999999999T")] // strtoull ERANGE
    [InlineData("18446744073709551615")]  // ULLONG_MAX itself is ndctl's failure value
    [InlineData("-1")]
    [InlineData("16777216T")]             // 2^64: the product overflows
    [InlineData("99999999T")]             // wraps in ndctl (its check misses it); refused here
    [InlineData("0xFFFFFFFFFFFFFFk")]
    [InlineData("64MB")]
    [InlineData("08")]
    [InlineData("0x")]
    [InlineData("1p")]
    [InlineData("abc")]
    public void Sizes_that_fail_to_parse(string text) => Assert.Null(NdctlNumbers.ParseSize64(text, out _));

    [Theory]
    [InlineData("512", 512U)]
    [InlineData("", 0U)]
    [InlineData("-5", 4294967291U)]                   // strtol's long stored in an unsigned int
    [InlineData("4294967296", 0U)]
    [InlineData("99999999999999999999", 4294967295U)] // strtol clamps to LONG_MAX
    [InlineData("-99999999999999999999", 0U)]         // LONG_MIN
    [InlineData("010", 10U)]                          // base 10: no octal
    public void Unsigned_integers_as_opt_uinteger_stores_them(string text, uint expected)
    {
        Assert.True(NdctlNumbers.TryParseUInteger(text, out uint value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("0x10")]
    [InlineData("12k")]
    [InlineData("abc")]
    [InlineData("-")]
    [InlineData(" ")]
    public void Unsigned_integers_ndctl_calls_not_numerical(string text) => Assert.False(NdctlNumbers.TryParseUInteger(text, out _));
}
