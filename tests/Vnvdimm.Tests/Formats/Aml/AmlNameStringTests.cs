using Vnvdimm.Formats.Aml;

namespace Vnvdimm.Tests.Formats.Aml;

public sealed class AmlNameStringTests
{
    [Theory]
    [InlineData("MEMA", "4D454D41")]
    [InlineData("LEN", "4C454E5F")] // padded with '_' (_LSR's LEN_)
    [InlineData("_SB", "5F53425F")]
    [InlineData("\\_SB", "5C5F53425F")]
    [InlineData("\\_SB.NVDR", "5C2E5F53425F4E564452")] // _E04's Notify target
    [InlineData("\\_SB.PCI0.ISA", "5C2F035F53425F504349304953415F")]
    [InlineData("^FOO", "5E464F4F5F")]
    [InlineData("^^FOO.BAR", "5E5E2E464F4F5F4241525F")]
    [InlineData("\\", "5C00")]
    [InlineData("NV0A", "4E563041")]
    public void Encodes_prefixes_and_segments(string path, string expectedHex)
    {
        var name = new AmlNameString(path);

        Assert.Equal(Convert.FromHexString(expectedHex), name.ToArray());
        Assert.Equal(expectedHex.Length / 2, name.Length);
    }

    [Fact]
    public void Null_name_is_a_single_zero_byte() => Assert.Equal([0x00], AmlNameString.Null.ToArray());

    [Theory]
    [InlineData("")]
    [InlineData("TOOLONG")]
    [InlineData("0ABC")]
    [InlineData("ab")]
    [InlineData("\\_SB..NVDR")]
    [InlineData("A-B")]
    [InlineData("\\^FOO")]
    public void Rejects_invalid_names_with_a_reason(string path)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new AmlNameString(path));
        Assert.Contains("invalid AML name", error.Message);
        Assert.False(AmlNameString.TryParse(path, out _, out string? reason));
        Assert.NotNull(reason);
    }
}
