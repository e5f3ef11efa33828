using System.Text;
using System.Text.Json;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.GuestReferenceCases;

namespace Vnvdimm.Tests.Guest;

/// <summary>
/// The guest console's label and namespace commands run through Vnvdimm.Ndctl over the guest's DIMMs:
/// labels through the firmware interface, info blocks in guest memory.
/// </summary>
public sealed class LiveNamespaceTests
{
    [Fact]
    public void Lab_backend_lists_the_namespaces_linux_created()
    {
        using var scratch = new ScratchDirectory("vnvdimm-guest-");
        PrepareBackends("lab", scratch.Path, _ => { });

        (int exit, string stdout, string stderr) = RunConsole(Arguments("lab", scratch.Path), "ndctl list -N");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        // lab/guest-commands-output.txt: namespace0.0 fsdax "vnv-test" 62.00 MiB, namespace0.1 raw 32.00 MiB.
        Assert.Equal(
            [
                ("namespace0.0", "fsdax", 62UL << 20, "2578bd0b-25c6-4ec9-943c-ebde40118388", "vnv-test"),
                ("namespace0.1", "raw", 32UL << 20, "af6be695-1f6e-49f0-803d-3a6f39083c04", (string?)null),
            ],
            Namespaces(stdout).OrderBy(n => n.Dev, StringComparer.Ordinal));
    }

    [Fact]
    public void Create_namespace_on_a_fresh_labelled_dimm_shows_in_the_list()
    {
        using var scratch = new ScratchDirectory("vnvdimm-guest-");

        (int exit, string stdout, string stderr) = RunConsole(Arguments("lab", scratch.Path),
            // As on Linux, labels are written only while the region is disabled.
            "ndctl disable-region region0", "ndctl init-labels nmem0", "ndctl enable-region region0",
            "ndctl create-namespace -m raw -s 32M", "ndctl list -N");

        Assert.Equal(0, exit);
        Assert.Contains("initialized 1 nmem", stderr, StringComparison.Ordinal);
        List<JsonElement> values = JsonValues(stdout);
        Assert.Equal(2, values.Count);
        JsonElement created = values[0];
        Assert.Equal("raw", created.GetProperty("mode").GetString());
        // The console is the guest's terminal, so create-namespace prints human sizes, as Linux's did.
        Assert.Equal("32.00 MiB (33.55 MB)", created.GetProperty("size").GetString());
        var listed = Assert.Single(Namespaces(values[1]));
        Assert.Equal((created.GetProperty("dev").GetString()!, "raw", 32UL << 20, created.GetProperty("uuid").GetString()!, (string?)null), listed);
    }

    private static List<(string Dev, string Mode, ulong Size, string Uuid, string? Name)> Namespaces(string stdout) =>
        Namespaces(Assert.Single(JsonValues(stdout)));

    private static List<(string Dev, string Mode, ulong Size, string Uuid, string? Name)> Namespaces(JsonElement array) =>
        [.. array.EnumerateArray().Select(ns => (
            ns.GetProperty("dev").GetString()!,
            ns.GetProperty("mode").GetString()!,
            ns.GetProperty("size").GetUInt64(),
            ns.GetProperty("uuid").GetString()!,
            ns.TryGetProperty("name", out JsonElement name) ? name.GetString() : null))];

    /// <summary>The JSON values one after another on a console (each command prints one).</summary>
    private static List<JsonElement> JsonValues(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        var values = new List<JsonElement>();
        while (reader.Read())
        {
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            values.Add(document.RootElement.Clone());
        }
        return values;
    }
}
