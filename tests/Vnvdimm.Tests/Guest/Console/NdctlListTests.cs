using Vnvdimm.Guest;
using Vnvdimm.Guest.Console;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.Ospm.TestSsdt;

namespace Vnvdimm.Tests.Guest.Console;

/// <summary><c>ndctl list</c>'s switches, filters and output shapes (ndctl/list.c), on QEMU's s1 NFIT.</summary>
public sealed class NdctlListTests : IDisposable
{
    private const string Namespace =
        "{\n  \"dev\":\"namespace0.0\",\n  \"mode\":\"raw\",\n  \"size\":268304384,\n  \"sector_size\":512,\n  \"blockdev\":\"pmem0\"\n}";

    private readonly LinuxGuest _guest = new GuestTestFirmware(
        Ssdt(Dimm(0), Dimm(1)), File.ReadAllBytes(Path.Combine(ReferenceData.Case("s1"), "NFIT"))).Boot();

    public void Dispose() => _guest.Dispose();

    private (int Exit, string Stdout, string Stderr) Ndctl(string command)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = new GuestShell(_guest).Execute(command, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Indent(string json) => string.Join("\n", json.Split('\n').Select(line => "  " + line));

    [Fact]
    public void Without_switches_it_lists_namespaces_as_an_array()
    {
        Assert.Equal((0, "[\n" + Indent(Namespace) + "\n]\n", ""), Ndctl("ndctl list"));
    }

    [Fact]
    public void Human_numbers_print_a_lone_object_without_its_array()
    {
        (_, string stdout, _) = Ndctl("ndctl list -Nu");

        Assert.StartsWith("{\n  \"dev\":\"namespace0.0\",\n  \"mode\":\"raw\",\n  \"size\":\"255.88 MiB (268.30 MB)\",", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dimms_alone_print_plain_numbers()
    {
        Assert.Equal(
            (0, "[\n  {\n    \"dev\":\"nmem0\",\n    \"id\":\"8680-56341200\",\n    \"handle\":1,\n    \"phys_id\":0\n  }\n]\n", ""),
            Ndctl("ndctl list --dimms"));
    }

    [Fact]
    public void Regions_without_dimms_have_no_mappings()
    {
        (_, string stdout, _) = Ndctl("ndctl list -R");

        Assert.DoesNotContain("mappings", stdout, StringComparison.Ordinal);
        Assert.Contains("\"align\":16777216,", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("namespaces", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Buses_nest_the_other_objects()
    {
        (_, string stdout, _) = Ndctl("ndctl list -BDu");

        Assert.StartsWith("{\n  \"provider\":\"ACPI.NFIT\",\n  \"dev\":\"ndbus0\",\n  \"dimms\":[\n    {\n      \"dev\":\"nmem0\",", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_adds_numa_nodes()
    {
        (_, string stdout, _) = Ndctl("ndctl list -RNv");

        Assert.Contains("\"numa_node\":0,\n      \"target_node\":0,", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ndctl list -R -r region0", true)]
    [InlineData("ndctl list -R -r 0", true)]
    [InlineData("ndctl list -R --region=all", true)]
    [InlineData("ndctl list -R -r region1", false)]
    [InlineData("ndctl list -R -d nmem0", true)]
    [InlineData("ndctl list -R -d nmem3", false)]
    [InlineData("ndctl list -n 0.0", true)]
    [InlineData("ndctl list -n namespace0.0", true)]
    [InlineData("ndctl list -n namespace1.0", false)]
    [InlineData("ndctl list -m raw", true)]
    [InlineData("ndctl list -m fsdax", false)]
    [InlineData("ndctl list -R -t blk", false)]
    [InlineData("ndctl list -R -b ACPI.NFIT", true)]
    [InlineData("ndctl list -R -U 0", true)]
    [InlineData("ndctl list -R -U 1", false)]
    public void Filters_select_as_ndctls_do(string command, bool listed)
    {
        (int exit, string stdout, string stderr) = Ndctl(command);

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(listed, stdout.Length > 0);
    }

    [Fact]
    public void Unknown_switches_and_values_are_refused_in_ndctls_words()
    {
        (int exit, string stdout, string stderr) = Ndctl("ndctl list -x");
        Assert.Equal(129, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("  Error: unknown switch `x'\n\n usage: ndctl list [<options>]\n\n    -b, --bus <bus-id>    filter by bus\n", stderr, StringComparison.Ordinal);
        Assert.Contains("    -n, --namespace <namespace-id>\n                          filter by namespace id\n", stderr, StringComparison.Ordinal);

        Assert.StartsWith("  Error: unknown option `dimmz'\n", Ndctl("ndctl list --dimmz").Stderr, StringComparison.Ordinal);
        Assert.StartsWith("  Error: option `dimm' requires a value\n", Ndctl("ndctl list --dimm").Stderr, StringComparison.Ordinal);
        Assert.StartsWith("  Error: switch `r' requires a value\n", Ndctl("ndctl list -r").Stderr, StringComparison.Ordinal);
        Assert.Equal("  Error: invalid mode: 'foo'\n\n", Ndctl("ndctl list -m foo").Stderr);
        Assert.StartsWith("  Error: unknown parameter \"nmem0\"\n", Ndctl("ndctl list nmem0").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Shell_reports_unknown_programs_and_ndctl_unknown_commands()
    {
        Assert.Equal((127, "", "sh: frobnicate: not found\n"), Ndctl("frobnicate --now"));
        Assert.Equal((1, "", "ndctl: 'frob' is not a ndctl command. See 'ndctl --help'.\n"), Ndctl("ndctl frob"));
        Assert.Equal((0, "76\n", ""), Ndctl("ndctl --version"));
        Assert.Equal((0, "", ""), Ndctl("   "));
        Assert.Equal((0, "[\n" + Indent(Namespace) + "\n]\n", ""), Ndctl("ndctl 'list' \"-N\""));
    }
}
