using System.Text.RegularExpressions;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>
/// Offline `ndctl list -N` orders namespaces as Linux 6.1's kernfs does (as the guest does): the
/// expectation is what the reference guest listed after creating 6, then 12 raw 16M namespaces
/// (tests/Fixtures/ndctl-76/order; uuids are random there, so masked).
/// </summary>
public sealed partial class NamespaceOrderTests
{
    private static string Section(string marker)
    {
        string text = File.ReadAllText(Path.Combine(ReferenceData.Fixture("ndctl-76", "order"), "cmds-output.txt"));
        int start = text.IndexOf($"==={marker}===\n", StringComparison.Ordinal) + marker.Length + 7;
        Assert.True(start > marker.Length + 6, marker);
        int end = text.IndexOf("===", start, StringComparison.Ordinal);
        return text[start..end];
    }

    private static string Masked(string text) => UuidPattern().Replace(text, "UUID");

    [Fact]
    public void OfflineListOrdersNamespacesAsLinux()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("nv.img");
        NdctlHarness.Result Ndctl(bool terminal, params string[] args) =>
            NdctlHarness.Image([image, "--size", "256M", "--label-size", "128K", "--", "ndctl", .. args], terminal);

        Assert.Equal(0, Ndctl(false, "init-labels", "-f", "all").Status);
        for (int i = 0; i < 12; i++)
        {
            Assert.Equal(0, Ndctl(false, "create-namespace", "-r", "region0", "-m", "raw", "-s", "16M").Status);
            if (i == 5)
            {
                Assert.Equal(Masked(Section("LIST6")), Masked(Ndctl(true, "list", "-N").Text));
            }
        }
        Assert.Equal(Masked(Section("LIST12")), Masked(Ndctl(false, "list", "-N").Text));
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex UuidPattern();
}
