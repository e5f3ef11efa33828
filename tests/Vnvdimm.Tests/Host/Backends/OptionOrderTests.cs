using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Tests.Host.Backends;

public sealed class OptionOrderTests
{
    [Fact]
    public void QDict_order_of_backend_properties_matches_qemu()
    {
        // tdb_hash % 512: reserve 38, prealloc 121, hugetlbsize 204, host-nodes 247, prealloc-threads 265, size 318.
        string[] schemaOrder = ["host-nodes", "prealloc", "prealloc-threads", "reserve", "size", "hugetlbsize"];
        Assert.Equal(["reserve", "prealloc", "hugetlbsize", "host-nodes", "prealloc-threads", "size"], QDictOrder.Order(schemaOrder));
        Assert.Equal(38u, QDictOrder.TdbHash("reserve") % 512);
        Assert.Equal(318u, QDictOrder.TdbHash("size") % 512);
    }

    [Fact]
    public void GLib_order_survives_growth_and_shrinking()
    {
        // Checked against g_hash_table in libglib-2.0.so.0 2.74: insert a..e, iterate.
        var table = new GLibHashOrder();
        foreach (string key in new[] { "a", "b", "c", "d", "e" })
        {
            table.Insert(key);
        }
        Assert.Equal("e", table.First());
        table.Remove("e");
        Assert.Equal("b", table.First());

        var big = new GLibHashOrder();
        for (int i = 0; i < 40; i++)
        {
            big.Insert($"k{i}");
        }
        for (int i = 0; i < 39; i++)
        {
            big.Remove($"k{i}");
        }
        Assert.Equal("k39", big.First());
    }

    [Theory]
    [InlineData("0", 0UL, 1)]
    [InlineData("42", 42UL, 2)]
    [InlineData("0x10", 16UL, 4)]
    [InlineData("010", 8UL, 3)]
    [InlineData(" 7", 7UL, 2)]
    [InlineData("+7", 7UL, 2)]
    [InlineData("0x", 0UL, 1)]
    [InlineData("08", 0UL, 1)]
    [InlineData("3-5", 3UL, 1)]
    [InlineData("18446744073709551615", ulong.MaxValue, 20)]
    public void ParseUInt_is_strtoull_base_0(string text, ulong value, int end)
    {
        Assert.True(OptsReader.ParseUInt(text, 0, out ulong parsed, out int stop));
        Assert.Equal((value, end), (parsed, stop));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("x")]
    [InlineData("18446744073709551616")]
    public void ParseUInt_refuses_what_parse_uint_refuses(string text)
    {
        Assert.False(OptsReader.ParseUInt(text, 0, out _, out _));
    }

    [Fact]
    public void StrError_uses_libc_wording()
    {
        Assert.Equal("No such file or directory", Libc.StrError(Libc.ENOENT));
        Assert.Equal("Operation not supported", Libc.StrError(Libc.EOPNOTSUPP));
        Assert.Equal("Cannot allocate memory", Libc.StrError(12));
    }
}
