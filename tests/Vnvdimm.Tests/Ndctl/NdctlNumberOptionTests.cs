using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>
/// Absurd numbers in every ndctl option that takes one, on an image: ndctl 76's lines (captured from
/// /usr/bin/ndctl, whose option checks run before it looks for a bus), its exit code, and the image
/// left exactly as it was (hash and mtime).
/// </summary>
public sealed class NdctlNumberOptionTests : IDisposable
{
    private readonly ScratchDirectory scratch = new("vnvdimm-ndctl-numbers-");
    private readonly string image;

    public NdctlNumberOptionTests()
    {
        image = scratch.File("nv.img");
        NdctlHarness.Result init = NdctlHarness.Image([image, "--size", "64M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"]);
        Assert.Equal(0, init.Status);
    }

    public void Dispose() => scratch.Dispose();

    private NdctlHarness.Result RunUnchanged(params string[] ndctl)
    {
        var fingerprint = ScratchDirectory.Fingerprint(image);
        DateTime mtime = File.GetLastWriteTimeUtc(image);
        NdctlHarness.Result result = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", .. ndctl]);
        Assert.Equal(fingerprint, ScratchDirectory.Fingerprint(image));
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(image));
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Equal(["nv.img"], scratch.Snapshot().Keys);
        return result;
    }

    [Fact]
    public void Create_namespace_size_overflow_is_ndctls_parse_failure_twice()
    {
        NdctlHarness.Result result = RunUnchanged("create-namespace", "-s", "99999999999999999999T");
        Assert.Equal(129, result.Status);
        // ndctl 76 checks --size before and after --align and prints both.
        Assert.StartsWith(
            "  Error: failed to parse namespace size '99999999999999999999T'\n\n" +
            "  Error: failed to parse namespace size '99999999999999999999T'\n\n\n" +
            " usage: ndctl create-namespace [<options>]\n", result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Create_namespace_reports_each_bad_number_in_ndctls_order()
    {
        NdctlHarness.Result result = RunUnchanged("create-namespace", "-s", "99999999999999999999T", "-a", "3", "-l", "x");
        Assert.Equal(129, result.Status);
        Assert.StartsWith(
            "  Error: failed to parse namespace size '99999999999999999999T'\n\n" +
            "  Error: align must be a power-of-2 greater than 4096\n\n" +
            "  Error: failed to parse namespace size '99999999999999999999T'\n\n" +
            "  Error: invalid sector size: x\n\n", result.Error);
    }

    [Theory]
    [InlineData("-a", "99999999999999999999T", "  Error: failed to parse namespace alignment '99999999999999999999T'\n")]
    [InlineData("-l", "99999999999999999999", "  Error: invalid sector size: 99999999999999999999\n")]
    [InlineData("-s", "16777216T", "  Error: failed to parse namespace size '16777216T'\n")]
    [InlineData("-s", "-1", "  Error: failed to parse namespace size '-1'\n")]
    public void Create_namespace_refuses_sizes_that_do_not_fit_64_bits(string option, string value, string firstLine)
    {
        NdctlHarness.Result result = RunUnchanged("create-namespace", option, value);
        Assert.Equal(129, result.Status);
        Assert.StartsWith(firstLine, result.Error);
    }

    [Fact]
    public void Create_namespace_size_beyond_the_region_is_no_space()
    {
        NdctlHarness.Result result = RunUnchanged("create-namespace", "-s", "18446744073709551614");
        Assert.Equal("failed to create namespace: No space left on device\n", result.Error);
        Assert.NotEqual(0, result.Status);
    }

    [Theory]
    [InlineData("-s", "0x10", "  Error: switch `s' expects a numerical value\n")]
    [InlineData("--size=0x10", null, "  Error: option `size' expects a numerical value\n")]
    [InlineData("-O", "12k", "  Error: switch `O' expects a numerical value\n")]
    public void Read_labels_numbers_are_decimal_as_opt_uinteger(string option, string? value, string firstLine)
    {
        NdctlHarness.Result result = RunUnchanged(["read-labels", option, .. value is null ? Array.Empty<string>() : [value], "nmem0"]);
        Assert.Equal(129, result.Status);
        Assert.StartsWith(firstLine + "\n usage: ndctl read-labels <nmem0> [<nmem1>..<nmemN>] [-o <filename>]\n", result.Error);
    }

    [Theory]
    [InlineData("-s", "99999999999999999999")] // LONG_MAX stored as 4294967295: clamped to the area
    [InlineData("-s", "-5")]
    [InlineData("-O", "4294967296")]            // stored as 0
    public void Read_labels_wrapped_numbers_read_the_whole_area(string option, string value)
    {
        NdctlHarness.Result result = RunUnchanged("read-labels", option, value, "nmem0");
        Assert.Equal((0, "read 1 nmem\n"), (result.Status, result.Error));
        Assert.Equal(128 * 1024, result.Output.Length);
    }

    [Fact]
    public void Read_labels_offset_beyond_the_area_reads_nothing()
    {
        NdctlHarness.Result result = RunUnchanged("read-labels", "-O", "4294967295", "nmem0");
        Assert.Equal("read 0 nmem\n", result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Zero_labels_with_an_offset_beyond_the_area_writes_nothing()
    {
        NdctlHarness.Result result = RunUnchanged("zero-labels", "-O", "99999999999999999999", "nmem0");
        Assert.Equal("zeroed 0 nmem\n", result.Error);
    }
}
