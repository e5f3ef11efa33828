using Vnvdimm.Formats.Acpi;

namespace Vnvdimm.Tests.Formats.Acpi;

public sealed class SdtHeaderTests
{
    // The SSDT header of every QEMU 7.2 capture with slots=2 (s2), checksum 0xCB.
    private const string S2SsdtHeader = "535344548D05000001CB424F434853204E5644494D4D0000010000004258504301000000";

    [Fact]
    public void Layout_is_36_bytes()
    {
        Assert.Equal(36, SdtHeaderLayout.Size);
        Assert.Equal(9, SdtHeaderLayout.ChecksumOffset);
        Assert.Equal(10, SdtHeaderLayout.OemIdOffset);
        Assert.Equal(16, SdtHeaderLayout.OemTableIdOffset);
        Assert.Equal(28, SdtHeaderLayout.CreatorIdOffset);
    }

    [Fact]
    public void Writes_qemu_header_with_nul_padded_table_id()
    {
        var header = new SdtHeader("SSDT", 0x58D, 1, 0xCB, "BOCHS ", "NVDIMM", 1, "BXPC", 1);
        var bytes = new byte[SdtHeaderLayout.Size];
        header.WriteTo(bytes);

        Assert.Equal(S2SsdtHeader, Convert.ToHexString(bytes));
    }

    [Fact]
    public void Reads_back_keeping_spaces_and_dropping_nuls()
    {
        var table = new byte[0x58D];
        Convert.FromHexString(S2SsdtHeader).CopyTo(table, 0);

        Assert.True(SdtHeader.TryRead(table, out SdtHeader header, out string? error), error);
        Assert.Equal(new SdtHeader("SSDT", 0x58D, 1, 0xCB, "BOCHS ", "NVDIMM", 1, "BXPC", 1), header);
    }

    [Fact]
    public void Short_oem_id_is_nul_padded()
    {
        var bytes = new byte[SdtHeaderLayout.Size];
        new SdtHeader("NFIT", 36, 1, 0, "AB", "XY", 1, "BXPC", 1).WriteTo(bytes);

        Assert.Equal("414200000000", Convert.ToHexString(bytes, SdtHeaderLayout.OemIdOffset, 6));
        Assert.Equal("5859000000000000", Convert.ToHexString(bytes, SdtHeaderLayout.OemTableIdOffset, 8));
    }

    [Theory]
    [InlineData("SSD", "BOCHS ", "NVDIMM")]
    [InlineData("SSDT", "TOOLONG", "NVDIMM")]
    [InlineData("SSDT", "BOCHS ", "NINECHARS")]
    [InlineData("SSDT", "BÖCHS", "NVDIMM")]
    public void Rejects_fields_that_do_not_fit(string signature, string oemId, string oemTableId) =>
        Assert.Throws<ArgumentException>(() => new SdtHeader(signature, 36, 1, 0, oemId, oemTableId, 1, "BXPC", 1).WriteTo(new byte[36]));

    [Theory]
    [InlineData(35, 36u)]
    [InlineData(36, 35u)]
    [InlineData(40, 41u)]
    public void TryRead_validates_lengths(int available, uint declared)
    {
        var bytes = new byte[Math.Max(available, 0)];
        if (available >= 8)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), declared);
        }

        Assert.False(SdtHeader.TryRead(bytes, out _, out string? error));
        Assert.NotNull(error);
    }
}
