using CsCheck;
using Vnvdimm.Formats.Acpi;

namespace Vnvdimm.Tests.Formats.Acpi;

public sealed class AcpiChecksumTests
{
    [Fact]
    public void Sum_matches_a_plain_byte_sum_for_any_length() =>
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            byte expected = 0;
            foreach (byte b in bytes)
            {
                expected += b;
            }
            Assert.Equal(expected, AcpiChecksum.Sum(bytes));
        });

    [Fact]
    public void Update_makes_the_table_sum_to_zero_whatever_the_field_held() =>
        Gen.Byte.Array[40, 200].Sample(bytes =>
        {
            AcpiChecksum.Update(bytes, SdtHeaderLayout.ChecksumOffset);
            Assert.True(AcpiChecksum.IsValid(bytes));
        });

    [Fact]
    public void Compute_ignores_the_current_checksum_byte()
    {
        byte[] table = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0xAA, 11];
        byte first = AcpiChecksum.Compute(table, 9);
        table[9] = 0x55;
        Assert.Equal(first, AcpiChecksum.Compute(table, 9));
    }
}
