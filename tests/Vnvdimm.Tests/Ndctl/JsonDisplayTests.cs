using System.Text.Json.Nodes;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.GuestReferenceCases;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>
/// ndctl 76's rules for a JSON result (util_display_json_array): several objects always print as
/// an array; a lone object prints bare only with the human flag, which read-labels sets when its
/// stdout is a terminal and list sets with -u. create-namespace prints its one namespace bare.
/// </summary>
public sealed class JsonDisplayTests
{
    private static NdctlHarness.Result Ndctl(string image, bool terminal, params string[] args) =>
        NdctlHarness.Image([image, "--size", "128M", "--label-size", "128K", "--", "ndctl", .. args], terminal);

    private static string LabelledImage(ScratchDirectory scratch, int rawNamespaces)
    {
        string image = scratch.File("json.img");
        Assert.Equal(0, Ndctl(image, false, "init-labels", "nmem0").Status);
        for (int i = 0; i < rawNamespaces; i++)
        {
            Assert.Equal(0, Ndctl(image, false, "create-namespace", "-m", "raw", "-s", "16M").Status);
        }
        return image;
    }

    [Theory]
    [InlineData(true, "{\n  \"dev\":\"nmem0\",\n  \"index\":[\n")]
    [InlineData(false, "[\n  {\n    \"dev\":\"nmem0\",\n    \"index\":[\n")]
    public void Read_labels_of_one_dimm_is_an_object_only_on_a_terminal(bool terminal, string start)
    {
        using var scratch = new ScratchDirectory();
        string image = LabelledImage(scratch, 0);
        NdctlHarness.Result result = Ndctl(image, terminal, "read-labels", "-j", "nmem0");
        Assert.Equal((0, "read 1 nmem\n"), (result.Status, result.Error));
        Assert.StartsWith(start, result.Text);
        Assert.EndsWith(terminal ? "\n  ]\n}\n" : "\n    ]\n  }\n]\n", result.Text);
    }

    [Theory]
    [InlineData(1, false, '[')]
    [InlineData(1, true, '{')]
    [InlineData(2, false, '[')]
    [InlineData(2, true, '[')]
    public void List_prints_a_lone_namespace_bare_only_with_u(int namespaces, bool human, char first)
    {
        using var scratch = new ScratchDirectory();
        string image = LabelledImage(scratch, namespaces);
        NdctlHarness.Result result = Ndctl(image, true, human ? ["list", "-N", "-u"] : ["list", "-N"]);
        Assert.Equal(0, result.Status);
        Assert.Equal(first, result.Text[0]);
        JsonNode parsed = JsonNode.Parse(result.Text)!;
        Assert.Equal(namespaces, parsed is JsonArray array ? array.Count : 1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Create_namespace_prints_one_object_on_or_off_a_terminal(bool terminal)
    {
        using var scratch = new ScratchDirectory();
        string image = LabelledImage(scratch, 0);
        NdctlHarness.Result result = Ndctl(image, terminal, "create-namespace", "-m", "raw", "-s", "16M");
        Assert.Equal(0, result.Status);
        Assert.StartsWith("{\n  \"dev\":\"namespace0.0\",\n", result.Text);
        // Sizes are human-readable only on a terminal (isatty(1) adds UTIL_JSON_HUMAN).
        Assert.Contains(terminal ? "\"size\":\"16.00 MiB (16.78 MB)\"" : "\"size\":16777216", result.Text);
    }

    [Fact]
    public void The_guest_console_is_a_terminal_one_dimm_is_an_object_two_are_an_array()
    {
        // Two NVDIMMs with label areas; the guest console is the guest's serial terminal.
        using var scratch = new ScratchDirectory("vnvdimm-guest-");
        string[] args =
        [
            "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
            "-object", $"memory-backend-file,id=m1,share=on,mem-path={scratch.File("a.img")},size=128M",
            "-device", "nvdimm,id=nv1,memdev=m1,label-size=128K",
            "-object", $"memory-backend-file,id=m2,share=on,mem-path={scratch.File("b.img")},size=128M",
            "-device", "nvdimm,id=nv2,memdev=m2,label-size=128K",
        ];
        (int exit, string stdout, string stderr) = RunConsole(args, "ndctl read-labels -j nmem0", "ndctl read-labels -j all");
        Assert.Equal((0, "read 1 nmem\nread 2 nmems\n"), (exit, stderr));
        int split = stdout.IndexOf("}\n[", StringComparison.Ordinal) + 2;
        Assert.Equal("nmem0", JsonNode.Parse(stdout[..split])!.AsObject()["dev"]!.GetValue<string>());
        JsonArray both = JsonNode.Parse(stdout[split..])!.AsArray();
        Assert.Equal(["nmem0", "nmem1"], both.Select(d => d!["dev"]!.GetValue<string>()).Order());
    }
}
