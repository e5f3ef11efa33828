using Vnvdimm.Guest.Console.Json;

namespace Vnvdimm.Tests.Guest.Console;

/// <summary>json-c's pretty printer and ndctl's -u serializers.</summary>
public sealed class JsonCTests
{
    [Theory]
    [InlineData(0UL, "0")]
    [InlineData(4096UL, "4096")]
    [InlineData(5119999UL, "5119999")]
    [InlineData(5120000UL, "\"4.88 MiB (5.12 MB)\"")]
    [InlineData(16777216UL, "\"16.00 MiB (16.78 MB)\"")]
    [InlineData(268304384UL, "\"255.88 MiB (268.30 MB)\"")]
    [InlineData(536608768UL, "\"511.75 MiB (536.61 MB)\"")]
    [InlineData(2147483648UL, "\"2.00 GiB (2.15 GB)\"")]
    [InlineData(68719476736UL, "\"64.00 GiB (68.72 GB)\"")]
    public void Sizes_print_as_ndctls_display_size(ulong bytes, string expected) =>
        Assert.Equal(expected, JsonCInteger.Size(bytes, human: true).ToJsonString());

    [Theory]
    [InlineData(0UL, "\"0\"")]
    [InlineData(1UL, "\"0x1\"")]
    [InlineData(0xffe0000UL, "\"0xffe0000\"")]
    public void Hex_numbers_print_as_printf_hash_llx(ulong value, string expected) =>
        Assert.Equal(expected, JsonCInteger.Hex(value, human: true).ToJsonString());

    [Fact]
    public void Without_human_numbers_are_plain_int64()
    {
        Assert.Equal("268304384", JsonCInteger.Size(268304384, human: false).ToJsonString());
        Assert.Equal("-1", JsonCInteger.Hex(ulong.MaxValue, human: false).ToJsonString());
    }

    [Fact]
    public void Pretty_printing_matches_json_c()
    {
        var json = new JsonCObject()
            .Add("dev", new JsonCString("a/b\"c"))
            .Add("list", new JsonCArray().Add(new JsonCObject().Add("x", new JsonCInteger(1))).Add(new JsonCBoolean(true)))
            .Add("empty", new JsonCArray())
            .Add("dev", new JsonCString("replaced"));

        Assert.Equal(
            "{\n  \"dev\":\"replaced\",\n  \"list\":[\n    {\n      \"x\":1\n    },\n    true\n  ],\n  \"empty\":[\n  ]\n}",
            json.ToJsonString());
        Assert.Equal("\"a\\/b\\\"c\\u0001\"", new JsonCString("a/b\"c\u0001").ToJsonString());
    }
}
