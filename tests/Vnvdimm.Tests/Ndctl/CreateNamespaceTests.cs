using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Tests.Formats.Labels;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>create-/destroy-namespace on fresh images, replaying the lab guest's commands.</summary>
public sealed class CreateNamespaceTests
{
    private const int LabelSize = 128 * 1024;

    /// <summary>The lab's uuids: fsdax label, its pfn device, the raw namespace.</summary>
    private static readonly Guid FsdaxUuid = new("e5348eaa-3599-4fd8-9c9b-40febda4fc64");
    private static readonly Guid PfnUuid = new("2578bd0b-25c6-4ec9-943c-ebde40118388");
    private static readonly Guid RawUuid = new("af6be695-1f6e-49f0-803d-3a6f39083c04");

    private static NdctlHarness.Result Ndctl(string image, string[] args, bool terminal = false, Func<Guid>? uuids = null, string? size = null) =>
        NdctlHarness.Image([image, .. size is null ? Array.Empty<string>() : ["--size", size], "--label-size", "128K", "--", "ndctl", .. args],
            terminal, uuids: uuids);

    /// <summary>guest-commands.sh on a fresh 512M image: init-labels, fsdax 64M named, raw 32M.</summary>
    private static (string Image, NdctlHarness.Result Fsdax, NdctlHarness.Result Raw) ReplayLab(ScratchDirectory scratch)
    {
        string image = scratch.File("lab.img");
        NdctlHarness.Result init = Ndctl(image, ["init-labels", "-f", "all"], size: "512M");
        Assert.Equal((0, "initialized 1 nmem\n"), (init.Status, init.Error));
        NdctlHarness.Result fsdax = Ndctl(image, ["create-namespace", "-r", "region0", "-m", "fsdax", "-s", "64M", "-n", "vnv-test", "-u", FsdaxUuid.ToString()],
            terminal: true, uuids: () => PfnUuid);
        NdctlHarness.Result raw = Ndctl(image, ["create-namespace", "-r", "region0", "-m", "raw", "-s", "32M", "-u", RawUuid.ToString()], terminal: true);
        return (image, fsdax, raw);
    }

    private static byte[] ReadAt(string path, long offset, int length)
    {
        using FileStream stream = File.OpenRead(path);
        byte[] bytes = new byte[length];
        stream.Seek(offset < 0 ? stream.Length + offset : offset, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        return bytes;
    }

    [Fact]
    public void Replaying_the_lab_commands_prints_what_linux_printed()
    {
        using var scratch = new ScratchDirectory();
        (string image, NdctlHarness.Result fsdax, NdctlHarness.Result raw) = ReplayLab(scratch);
        List<string> golden = NdctlListTests.GoldenObjects();
        Assert.Equal((0, "", golden[0]), (fsdax.Status, fsdax.Error, fsdax.Text));
        Assert.Equal((0, "", golden[1]), (raw.Status, raw.Error, raw.Text));

        NdctlHarness.Result list = Ndctl(image, ["list", "-NRDiu"]);
        Assert.Equal(golden[2], list.Text);
    }

    [Fact]
    public void Replaying_the_lab_commands_writes_the_lab_label_area_and_pfn_block_byte_for_byte()
    {
        byte[] labArea = LabBackendImage.ReadLabelArea();
        string labImage = LabBackendImage.ImagePath;
        using var scratch = new ScratchDirectory();
        (string image, _, _) = ReplayLab(scratch);
        byte[] area = ReadAt(image, -LabelSize, LabelSize);
        Assert.True(LabelArea.TryRead(area, out LabelArea? ours, out _));
        Assert.True(LabelArea.TryRead(labArea, out LabelArea? lab, out _));
        Assert.Equal(lab!.Labels, ours!.Labels);
        Assert.Equal((lab.Current, lab.Index[0].Sequence, lab.Index[1].Sequence), (ours.Current, ours.Index[0].Sequence, ours.Index[1].Sequence));
        int firstDifference = area.AsSpan().CommonPrefixLength(labArea);
        Assert.True(firstDifference == LabelSize, $"label areas differ first at byte {firstDifference}");

        // The fsdax namespace's pfn info block at DPA 4 KiB.
        Assert.Equal(ReadAt(labImage, InfoBlock.NamespaceOffset, InfoBlock.Size), ReadAt(image, InfoBlock.NamespaceOffset, InfoBlock.Size));
    }

    [Theory]
    [InlineData("1.1", "sector", "\"mode\":\"sector\"", "\"sector_size\":4096")]
    [InlineData("1.2", "sector", "\"mode\":\"sector\"", "\"blockdev\":\"pmem0s\"")]
    [InlineData("1.2", "devdax", "\"mode\":\"devdax\"", "\"chardev\":\"dax0.0\"")]
    [InlineData("1.2", "fsdax", "\"map\":\"dev\"", "\"align\":2097152")]
    public void Every_mode_round_trips_through_the_scanner(string version, string mode, string expected1, string expected2)
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("m.img");
        Assert.Equal(0, Ndctl(image, ["init-labels", "-V", version, "nmem0"], size: "256M").Status);
        NdctlHarness.Result created = Ndctl(image, ["create-namespace", "-m", mode, "-s", "64M"]);
        Assert.Equal((0, ""), (created.Status, created.Error));
        Assert.Contains(expected1, created.Text);
        Assert.Contains(expected2, created.Text);
        Assert.Equal(0, Ndctl(image, ["check-labels", "nmem0"]).Status);
        // Linux's create-namespace shows a devdax namespace with its dax region, as list -X does.
        string[] list = mode == "devdax" ? ["list", "-N", "-X"] : ["list", "-N"];
        // A one-element array unwrapped: its brackets gone, each line dedented by two spaces.
        string[] lines = Ndctl(image, list).Text.TrimEnd('\n').Split('\n');
        Assert.Equal(("[", "]"), (lines[0], lines[^1]));
        Assert.Equal(created.Text, string.Concat(lines[1..^1].Select(l => l[2..] + "\n")));
    }

    [Fact]
    public void Destroy_deletes_the_labels_and_frees_the_space()
    {
        using var scratch = new ScratchDirectory();
        (string image, _, _) = ReplayLab(scratch);
        NdctlHarness.Result refused = Ndctl(image, ["destroy-namespace", "namespace0.0"]);
        Assert.Equal((240, "  Error: namespace0.0 is active, specify --force for re-configuration\n\n"
            + "error destroying namespaces: Device or resource busy\ndestroyed 0 namespaces\n"), (refused.Status, refused.Error));

        NdctlHarness.Result destroyed = Ndctl(image, ["destroy-namespace", "namespace0.0", "-f"]);
        Assert.Equal((0, "destroyed 1 namespace\n"), (destroyed.Status, destroyed.Error));
        Assert.True(LabelArea.TryRead(ReadAt(image, -LabelSize, LabelSize), out LabelArea? area, out _));
        Assert.Equal([RawUuid], area!.Labels.Select(l => l.Uuid));
        Assert.True(ReadAt(image, 0, 8192).AsSpan().IndexOfAnyExcept((byte)0) < 0);
        // The raw namespace is now namespace0.0 (lowest DPA); 64M more is free below it.
        Assert.Contains("\"available_size\":\"464.00 MiB", Ndctl(image, ["list", "-Ru"]).Text);

        NdctlHarness.Result unknown = Ndctl(image, ["destroy-namespace", "namespace0.7", "-f"]);
        Assert.Equal((250, "error destroying namespaces: No such device or address\ndestroyed 0 namespaces\n"), (unknown.Status, unknown.Error));
    }

    [Fact]
    public void Enable_and_disable_print_ndctl_summaries()
    {
        using var scratch = new ScratchDirectory();
        (string image, _, _) = ReplayLab(scratch);
        Assert.Equal("disabled 1 namespace\n", Ndctl(image, ["disable-namespace", "namespace0.1"]).Error);
        Assert.Equal("enabled 2 namespaces\n", Ndctl(image, ["enable-namespace", "all"]).Error);
        Assert.Equal("disabled 1 region\n", Ndctl(image, ["disable-region", "region0"]).Error);
        Assert.Equal("enabled 1 region\n", Ndctl(image, ["enable-region", "all"]).Error);
        Assert.Equal("disabled 0 regions\n", Ndctl(image, ["disable-region", "region4"]).Error);
    }

    [Fact]
    public void Errors_are_worded_as_ndctl_words_them()
    {
        using var scratch = new ScratchDirectory();
        (string image, _, _) = ReplayLab(scratch);
        byte[] before = ReadAt(image, -LabelSize, LabelSize);

        NdctlHarness.Result tooBig = Ndctl(image, ["create-namespace", "-s", "1G"]);
        Assert.Equal((237, "failed to create namespace: No space left on device\n"), (tooBig.Status, tooBig.Error));

        NdctlHarness.Result badMode = Ndctl(image, ["create-namespace", "-m", "bogus"]);
        Assert.Equal(129, badMode.Status);
        Assert.StartsWith("  Error: invalid mode 'bogus'\n\n\n usage: ndctl create-namespace [<options>]\n", badMode.Error);

        NdctlHarness.Result unaligned = Ndctl(image, ["create-namespace", "-m", "raw", "-s", "20M"]);
        Assert.Equal((234, "  Error: create namespace: region0: align setting is 0x1000000 size 0x1400000 is misaligned\n\n"),
            (unaligned.Status, unaligned.Error));

        NdctlHarness.Result small = Ndctl(image, ["create-namespace", "-m", "fsdax", "-s", "0x100000"]);
        Assert.Equal(234, small.Status);

        Assert.Equal(before, ReadAt(image, -LabelSize, LabelSize));
    }
}
