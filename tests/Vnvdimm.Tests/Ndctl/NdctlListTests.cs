using System.Text;
using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Ndctl;
using Vnvdimm.Tests.Formats.Labels;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>`ndctl list` on backend images against what Linux's ndctl 76 printed for the lab guest.</summary>
public sealed class NdctlListTests
{
    private const int LabelSize = 128 * 1024;

    /// <summary>The top-level JSON objects of guest-commands-output.txt: create-namespace fsdax, create-namespace raw, list -NRDiu.</summary>
    internal static List<string> GoldenObjects()
    {
        var objects = new List<string>();
        StringBuilder? current = null;
        foreach (string line in File.ReadAllLines(Path.Combine(LabBackendImage.LabFolder, "guest-commands-output.txt")))
        {
            if (line == "{")
            {
                current = new StringBuilder();
            }
            current?.Append(line).Append('\n');
            if (line == "}" && current is not null)
            {
                objects.Add(current.ToString());
                current = null;
            }
        }
        return objects;
    }

    private static NdctlHarness.Result List(string image, params string[] args) =>
        NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "list", .. args]);

    [Fact]
    public void Lab_list_NRDiu_equals_linux_exactly()
    {
        string image = LabBackendImage.ImagePath;
        NdctlHarness.Result result = List(image, "-NRDiu");
        Assert.Equal((0, ""), (result.Status, result.Error));
        Assert.Equal(GoldenObjects()[2], result.Text);
    }

    [Fact]
    public void Lab_namespaces_print_as_create_namespace_printed_them()
    {
        string image = LabBackendImage.ImagePath;
        List<string> golden = GoldenObjects();
        // With -u a single match prints as an object, the shape create-namespace used.
        Assert.Equal(golden[0], List(image, "-N", "-u", "-n", "namespace0.0").Text);
        Assert.Equal(golden[1], List(image, "-Nu", "--namespace=namespace0.1").Text);
    }

    [Fact]
    public void Lab_list_N_has_both_namespaces_with_byte_sizes()
    {
        string image = LabBackendImage.ImagePath;
        string text = List(image, "-N").Text;
        Assert.StartsWith("[\n  {\n    \"dev\":\"namespace0.1\",\n    \"mode\":\"raw\",\n    \"size\":33554432,\n    \"uuid\":\"af6be695-1f6e-49f0-803d-3a6f39083c04\",", text);
        Assert.Contains("\"mode\":\"fsdax\",\n    \"map\":\"dev\",\n    \"size\":65011712,\n    \"uuid\":\"2578bd0b-25c6-4ec9-943c-ebde40118388\",", text);
        Assert.Contains("\"name\":\"vnv-test\"", text);
        // No -i: the idle seed namespace0.2 is left out; -v adds the label uuid.
        Assert.DoesNotContain("namespace0.2", text);
        Assert.Contains("\"raw_uuid\":\"e5348eaa-3599-4fd8-9c9b-40febda4fc64\"", List(image, "-Nv", "-m", "fsdax").Text);
        Assert.Equal("[\n  {\n    \"dev\":\"nmem0\",\n    \"id\":\"8680-56341200\",\n    \"handle\":1,\n    \"phys_id\":0\n  }\n]\n", List(image, "-D").Text);
        Assert.Contains("\"iset_id\":10248187106440278,", List(image, "-R").Text);
    }

    [Fact]
    public void Lab_raw_namespace_holds_the_guests_text()
    {
        string image = LabBackendImage.ImagePath;
        using ImageLabelStore store = ImageLabelStore.TryOpen(image, LabelSize, out _)!;
        var dimm = new NdctlDimm("nmem0", store);
        NdctlRegion region = RegionScanner.Scan(0, dimm);
        NdctlNamespace raw = Assert.Single(region.Namespaces, n => n.Mode == NamespaceMode.Raw && n.IsActive);
        Assert.Equal((64UL << 20, 32UL << 20), (raw.Dpa, raw.Capacity));
        byte[] data = new byte[22];
        dimm.Media!.Read(raw.Dpa, data);
        Assert.Equal("hello-from-linux-guest", Encoding.ASCII.GetString(data));
        Assert.Equal(10248187106440278UL, region.InterleaveSetCookie);
        Assert.Equal((400UL << 20, 400UL << 20), (region.AvailableSize, region.MaxAvailableExtent));
    }

    [Fact]
    public void Label_less_image_lists_one_raw_namespace_spanning_the_region_as_linux_did()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("fresh.img");
        NdctlHarness.Result result = NdctlHarness.Image([image, "--size", "512M", "--label-size", "128K", "--", "ndctl", "list", "-NRDiu"]);
        Assert.Equal((0, ""), (result.Status, result.Error));
        Assert.Equal(File.ReadAllText(Path.Combine(LabBackendImage.LabFolder, "ndctl-list.json")), result.Text);
    }

    [Fact]
    public void Label_less_personalities_come_from_the_info_block_at_4_KiB()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("io.img");
        Assert.Equal(0, NdctlHarness.Image([image, "--size", "64M", "--label-size", "128K", "--", "ndctl", "list"]).Status);
        ulong capacity = (64UL << 20) - LabelSize;

        // Sector: a BTT1 block with a zero parent uuid.
        Guid btt = Guid.NewGuid();
        BttInfoBlock arena = BttInfoBlock.CreateArenas(capacity - 4096, 4096, btt, Guid.Empty, 1, 1)[0];
        WriteBlock(image, arena.WriteTo);
        string sector = List(image, "-N").Text;
        Assert.Contains("\"mode\":\"sector\",\n    \"size\":" + ((ulong)arena.ExternalNLba * 4096), sector);
        Assert.Contains($"\"uuid\":\"{btt}\",\n    \"sector_size\":4096,\n    \"blockdev\":\"pmem0s\"", sector);

        // Devdax: a dax block; an io namespace's parent uuid is all zeros.
        Guid dax = Guid.NewGuid();
        PfnInfoBlock block = PfnInfoBlock.Create(PfnInfoBlockKind.Dax, dax, Guid.Empty, 0x1_0000_0000, capacity, 0x200000, PfnMapLocation.Pmem, out _)!;
        WriteBlock(image, block.WriteTo);
        Assert.Equal(
            $"[\n  {{\n    \"dev\":\"namespace0.0\",\n    \"mode\":\"devdax\",\n    \"map\":\"dev\",\n    \"size\":{block.UsableSize(capacity)},\n    \"uuid\":\"{dax}\",\n    \"chardev\":\"dax0.0\",\n    \"align\":2097152\n  }}\n]\n",
            List(image, "-N").Text);

        // A parent uuid that is not the namespace's leaves it raw.
        WriteBlock(image, (block with { ParentUuid = Guid.NewGuid() }).WriteTo);
        Assert.Contains("\"mode\":\"raw\"", List(image, "-N").Text);
    }

    private delegate void BlockWriter(Span<byte> destination);

    private static void WriteBlock(string image, BlockWriter write)
    {
        byte[] bytes = new byte[InfoBlock.Size];
        write(bytes);
        using FileStream stream = new(image, FileMode.Open, FileAccess.Write);
        stream.Seek(InfoBlock.NamespaceOffset, SeekOrigin.Begin);
        stream.Write(bytes);
    }
}
