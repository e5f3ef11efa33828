using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>
/// Offline label writes on an image whose region holds labelled namespaces: the image counts as an
/// active region (a fresh boot would enable it and there is no kernel to disable it in), so ndctl's
/// refusals apply with Linux 6.1 + ndctl 76's words (fixture disable/cmds-output.txt): zero-labels and
/// init-labels (-f too) refuse with exit 1, write-labels says so and writes nothing, yet exits 0.
/// Once the namespaces are destroyed the labels can be rewritten.
/// </summary>
public sealed class ActiveRegionTests
{
    private const int LabelSize = 128 * 1024;

    private static NdctlHarness.Result Ndctl(string image, params string[] args) =>
        NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", .. args]);

    private static byte[] LabelArea(string image)
    {
        byte[] bytes = File.ReadAllBytes(image);
        return bytes.AsSpan(bytes.Length - LabelSize).ToArray();
    }

    private static string ImageWithNamespace(ScratchDirectory scratch)
    {
        string image = scratch.File("nv.img");
        Assert.Equal(0, NdctlHarness.Image([image, "--size", "256M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"]).Status);
        Assert.Equal(0, Ndctl(image, "create-namespace", "-m", "raw", "-s", "32M").Status);
        return image;
    }

    [Fact]
    public void Label_writes_on_an_image_with_namespaces_are_refused_and_change_nothing()
    {
        using var scratch = new ScratchDirectory();
        string image = ImageWithNamespace(scratch);
        byte[] before = LabelArea(image);
        string input = scratch.File("zero.bin");
        File.WriteAllBytes(input, new byte[LabelSize]);

        NdctlHarness.Result zero = Ndctl(image, "zero-labels", "nmem0");
        NdctlHarness.Result init = Ndctl(image, "init-labels", "nmem0");
        NdctlHarness.Result forced = Ndctl(image, "init-labels", "-f", "nmem0");
        NdctlHarness.Result write = Ndctl(image, "write-labels", "nmem0", "-i", input);
        NdctlHarness.Result disable = Ndctl(image, "disable-dimm", "nmem0");

        Assert.Equal((1, "nmem0: regions active, abort label write\nzeroed 0 nmem\n"), (zero.Status, zero.Error));
        Assert.Equal((1, "nmem0: regions active, abort label write\ninitialized 0 nmem\n"), (init.Status, init.Error));
        Assert.Equal((1, "nmem0: regions active, abort label write\ninitialized 0 nmem\n"), (forced.Status, forced.Error));
        Assert.Equal((0, "dimm is active, abort label write\nwrote 1 nmem\n"), (write.Status, write.Error));
        Assert.Equal((1, "nmem0 is active, skipping...\ndisabled 0 nmem\n"), (disable.Status, disable.Error));
        Assert.Equal(before, LabelArea(image));
        Assert.Contains("\"size\":33554432", Ndctl(image, "list", "-N").Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_namespaces_the_labels_can_be_rewritten()
    {
        using var scratch = new ScratchDirectory();
        string image = ImageWithNamespace(scratch);

        NdctlHarness.Result destroy = Ndctl(image, "destroy-namespace", "-f", "all");
        NdctlHarness.Result zero = Ndctl(image, "zero-labels", "nmem0");

        Assert.Equal((0, "destroyed 1 namespace\n"), (destroy.Status, destroy.Error));
        Assert.Equal((0, "zeroed 1 nmem\n"), (zero.Status, zero.Error));
        Assert.All(LabelArea(image), b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_fresh_image_takes_labels_and_dimm_commands_count_it()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("fresh.img");

        NdctlHarness.Result init = NdctlHarness.Image([image, "--size", "64M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"]);
        NdctlHarness.Result enable = Ndctl(image, "enable-dimm", "nmem0");
        NdctlHarness.Result disable = Ndctl(image, "disable-dimm", "nmem0");

        Assert.Equal((0, "initialized 1 nmem\n"), (init.Status, init.Error));
        Assert.Equal((0, "enabled 1 nmem\n"), (enable.Status, enable.Error));
        Assert.Equal((0, "disabled 1 nmem\n"), (disable.Status, disable.Error));
    }
}
