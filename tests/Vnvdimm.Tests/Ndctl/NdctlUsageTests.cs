using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>
/// `ndctl COMMAND -h` prints ndctl 76's usage on stderr and exits 129: the expectations are what
/// /usr/bin/ndctl (Debian's ndctl 76) printed for each command (tests/Fixtures/ndctl-76/usage).
/// </summary>
public sealed class NdctlUsageTests
{
    private static string UsageFolder => ReferenceData.Fixture("ndctl-76", "usage");

    public static TheoryData<string> Commands() =>
        [.. new[] { "list", "read-labels", "write-labels", "zero-labels", "init-labels", "check-labels", "create-namespace",
            "destroy-namespace", "enable-namespace", "disable-namespace", "enable-region", "disable-region", "check-namespace",
            "read-infoblock", "clear-errors" }];

    private static NdctlHarness.Result Ndctl(ScratchDirectory scratch, params string[] args) =>
        NdctlHarness.Image([scratch.File("nv.img"), "--size", "64M", "--label-size", "128K", "--", "ndctl", .. args], terminal: true);

    [Theory]
    [MemberData(nameof(Commands))]
    public void HelpPrintsNdctlsUsage(string command)
    {
        using var scratch = new ScratchDirectory();
        string expected = File.ReadAllText(Path.Combine(UsageFolder, command + ".txt"));
        foreach (string[] args in new[] { new[] { command, "-h" }, [command, "--help"], [command, "all", "--help"] })
        {
            NdctlHarness.Result result = Ndctl(scratch, args);
            Assert.Equal((129, "", expected), (result.Status, result.Text, result.Error));
        }
    }

    [Fact]
    public void HelpBundledWithSwitchesAndAfterAnErrorAsParseOptionsDoes()
    {
        using var scratch = new ScratchDirectory();
        string usage = File.ReadAllText(Path.Combine(UsageFolder, "list.txt"));
        Assert.Equal((129, usage), (Ndctl(scratch, "list", "-Nh").Status, Ndctl(scratch, "list", "-Nh").Error));
        // /usr/bin/ndctl list -x -h: the unknown switch comes first.
        NdctlHarness.Result error = Ndctl(scratch, "list", "-x", "-h");
        Assert.Equal((129, "  Error: unknown switch `x'\n" + usage), (error.Status, error.Error));
    }
}
