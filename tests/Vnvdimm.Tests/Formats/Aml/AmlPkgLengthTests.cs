using CsCheck;
using Vnvdimm.Formats.Aml;

namespace Vnvdimm.Tests.Formats.Aml;

public sealed class AmlPkgLengthTests
{
    // Payload lengths at each size boundary, with the bytes QEMU's build_prepend_package_length emits.
    [Theory]
    [InlineData(0, true, "01")]
    [InlineData(62, true, "3F")]
    [InlineData(63, true, "4104")]
    [InlineData(4093, true, "4FFF")]
    [InlineData(4094, true, "810001")]
    [InlineData((1 << 20) - 4, true, "8FFFFF")]
    [InlineData((1 << 20) - 3, true, "C1000001")]
    [InlineData(32, false, "20")]
    [InlineData(62, false, "3E")]
    [InlineData(63, false, "4F03")] // iasl: Field { AAAA, 63 } → 4F 03 as well
    [InlineData(64, false, "4004")]
    [InlineData(32672, false, "80FA07")] // FARG in QEMU's SSDT
    [InlineData(32736, false, "80FE07")] // ODAT
    public void Encodes_like_qemu(int length, bool includeSelf, string expectedHex)
    {
        byte[] expected = Convert.FromHexString(expectedHex);
        var destination = new byte[4];

        int size = AmlPkgLength.Encode(length, includeSelf, destination);

        Assert.Equal(expected.Length, AmlPkgLength.GetEncodedSize(length, includeSelf));
        Assert.Equal(expected, destination[..size]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    [InlineData(AmlPkgLength.MaxValue - 4)]
    public void Decode_inverts_encode(int length)
    {
        var destination = new byte[4];
        int size = AmlPkgLength.Encode(length, includeSelf: true, destination);

        Assert.True(AmlPkgLength.TryDecode(destination, out int value, out int decodedSize));
        Assert.Equal(size, decodedSize);
        Assert.Equal(length + size, value);
    }

    [Fact]
    public void Any_length_round_trips_in_the_fewest_bytes_qemu_allows() =>
        Gen.Int[0, AmlPkgLength.MaxValue - 4].Sample(length =>
        {
            var destination = new byte[4];
            int size = AmlPkgLength.Encode(length, includeSelf: true, destination);
            Assert.True(AmlPkgLength.TryDecode(destination, out int value, out int decodedSize));
            Assert.Equal((size, length + size), (decodedSize, value));
            Assert.Equal(length + 1 < 1 << 6 ? 1 : length + 2 < 1 << 12 ? 2 : length + 3 < 1 << 20 ? 3 : 4, size);
        });

    [Fact]
    public void Decode_rejects_truncated_and_malformed_input()
    {
        Assert.False(AmlPkgLength.TryDecode([], out _, out _));
        Assert.False(AmlPkgLength.TryDecode([0x81, 0x00], out _, out _));
        Assert.False(AmlPkgLength.TryDecode([0x70, 0x00], out _, out _));
    }

    [Fact]
    public void Rejects_lengths_beyond_28_bits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AmlPkgLength.GetEncodedSize(AmlPkgLength.MaxValue, includeSelf: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => AmlPkgLength.GetEncodedSize(-1, includeSelf: true));
    }
}
