using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Tests.Host.Configuration;

/// <summary>
/// QEMU 7.2's JSON for -object/-device. The messages are what qemu-system-x86_64 7.2 printed for
/// "-device TEXT" (after "-device TEXT: "); QemuDifferentialTests runs a selection against QEMU.
/// </summary>
public sealed class OptionJsonTests
{
    [Theory]
    [InlineData("{", "JSON parse error, premature EOI")]
    [InlineData("{\"a\":1,", "JSON parse error, premature EOI")]
    [InlineData("{\"a\":[[[[", "JSON parse error, premature EOI")]
    [InlineData("{\"a\":1,}", "JSON parse error, expecting value")]
    [InlineData("{\"a\":[1,]}", "JSON parse error, expecting value")]
    [InlineData("{\"a\" 1}", "JSON parse error, missing : in object pair")]
    [InlineData("{1:2}", "JSON parse error, key is not a string in object")]
    [InlineData("{\"a\":1 \"b\":2}", "JSON parse error, expected separator in dict")]
    [InlineData("{\"a\":0x10}", "JSON parse error, expected separator in dict")]
    [InlineData("{\"a\":[1 2]}", "JSON parse error, expected separator in list")]
    [InlineData("{\"a\":tru}", "JSON parse error, invalid keyword 'tru'")]
    [InlineData("{\"a\":@}", "JSON parse error, stray '@'")]
    [InlineData("{\"a\":+1}", "JSON parse error, stray '+'")]
    [InlineData("{\"a\":\"abc", "JSON parse error, stray '\"abc'")]
    [InlineData("{\"a\":01}", "JSON parse error, stray '01'")]
    [InlineData("{\"a\":1.}", "JSON parse error, stray '1.}'")]
    [InlineData("{\"a\":-}", "JSON parse error, stray '-}'")]
    [InlineData("{\"a\":\"x\ty\"}", "JSON parse error, stray '\"x\t'")]
    [InlineData("{\"a\":1 @", "JSON parse error, stray '@'")]
    [InlineData("{\"a\":\"\\q\"}", "JSON parse error, invalid escape sequence in string")]
    [InlineData("{\"a\":\"\\ud800\"}", "JSON parse error, \\ud800 is not a valid Unicode character")]
    [InlineData("{\"a\":\"\\u12zz\"}", "JSON parse error, \\u12zz is not a valid Unicode character")]
    [InlineData("{\"a\":true,\"a\":false}", "JSON parse error, duplicate key")]
    [InlineData("{\"a\":1}}", "Expecting at most one JSON value")]
    [InlineData("{\"a\":1} {", "Expecting at most one JSON value")]
    [InlineData("{\"a\":1}@", "Expecting at most one JSON value")]
    public void Malformed_json_is_refused_with_qemus_message(string text, string expected)
    {
        var error = Assert.Throws<QemuOptionException>(() => OptionJson.Parse(text));
        Assert.Equal(expected, error.Message);
        Assert.Null(error.Location);
    }

    [Fact]
    public void Nesting_deeper_than_1024_is_refused()
    {
        string deep = "{\"a\":" + new string('[', 1024);
        Assert.Equal("JSON nesting depth limit exceeded", Assert.Throws<QemuOptionException>(() => OptionJson.Parse(deep)).Message);
        string allowed = "{\"a\":" + new string('[', 1023);
        Assert.Equal("JSON parse error, premature EOI", Assert.Throws<QemuOptionException>(() => OptionJson.Parse(allowed)).Message);
    }

    [Fact]
    public void Values_are_typed_as_qemus_qobjects()
    {
        var json = (QemuJsonObject)OptionJson.Parse(
            "{ \"i\": -5, \"u\": 18446744073709551615, \"big\": 18446744073709551616, \"f\": 1.5e3, \"t\": true, \"n\": null,"
            + " 's': 'it\\'s \"quoted\"', \"e\": \"\\u00e9\\ud83d\\ude00\\/\\n\", \"l\": [1, [], {}] }")!;
        Assert.Equal(["i", "u", "big", "f", "t", "n", "s", "e", "l"], json.Members.Select(m => m.Key));
        Assert.True(json.TryGet("i", out object? i) && i is -5L);
        Assert.True(json.TryGet("u", out object? u) && u is ulong.MaxValue);
        Assert.True(json.TryGet("big", out object? big) && big is 18446744073709551616d);
        Assert.True(json.TryGet("f", out object? f) && f is 1500d);
        Assert.True(json.TryGet("t", out object? t) && t is true);
        Assert.True(json.TryGet("n", out object? n) && n is null);
        Assert.Equal("it's \"quoted\"", json.TryGetString("s"));
        Assert.Equal("é😀/\n", json.TryGetString("e"));
        Assert.True(json.TryGet("l", out object? l));
        var list = Assert.IsType<List<object?>>(l);
        Assert.Equal(1L, list[0]);
        Assert.Empty(Assert.IsType<List<object?>>(list[1]));
        Assert.Empty(Assert.IsType<QemuJsonObject>(list[2]).Members);
        Assert.Null(json.TryGetString("i"));
    }
}
