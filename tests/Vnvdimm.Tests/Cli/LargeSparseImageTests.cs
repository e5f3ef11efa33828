using System.Text.RegularExpressions;
using Vnvdimm.Cli;
using Vnvdimm.Tests.Host.Backends;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// `vnvdimm image --size 1T`: labels, a whole-region namespace in each mode, list and destroy all
/// stay sparse — the file never has 64 MiB of blocks allocated (a sector namespace's 1 GiB BTT
/// map is zeroed by punching a hole, not by writing). Times are in docs/benchmarks.md.
/// </summary>
public sealed partial class LargeSparseImageTests : IDisposable
{
    private const long Bound = 64L << 20;
    private readonly ScratchDirectory _scratch = new("vnvdimm-1t-image-");

    public void Dispose() => _scratch.Dispose();

    private string Image => _scratch.File("big.img");

    private string Ndctl(bool create, params string[] command)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        string[] options = create ? [Image, "--size", "1T", "--label-size", "128K"] : [Image, "--label-size", "128K"];
        int exit = VnvdimmProgram.Run(["image", .. options, "--", "ndctl", .. command], new StringReader(string.Empty), stdout, stderr);
        Assert.True(exit == 0, $"ndctl {string.Join(' ', command)}: exit {exit}: {stderr}");
        long allocated = BackendTestSupport.AllocatedBytes(Image);
        Assert.True(allocated < Bound, $"after ndctl {string.Join(' ', command)}: {allocated} bytes allocated");
        return stdout.ToString() + stderr.ToString();
    }

    [Fact]
    public void Every_mode_on_a_1_TiB_image_stays_under_64_MiB_of_blocks()
    {
        Assert.Contains("initialized 1 nmem", Ndctl(create: true, "init-labels", "nmem0"));
        Assert.Equal(1L << 40, new FileInfo(Image).Length);
        foreach (string mode in (string[])["raw", "fsdax", "devdax", "sector"])
        {
            string created = Ndctl(create: false, "create-namespace", "-m", mode);
            Assert.Contains($"\"mode\":\"{mode}\"", created);
            // A whole-region namespace: hundreds of GiB, not a small one that would prove nothing.
            long size = long.Parse(SizeField().Match(created).Groups[1].Value);
            Assert.True(size > 1L << 39, $"{mode} namespace of {size} bytes");

            Assert.Contains($"\"mode\":\"{mode}\"", Ndctl(create: false, "list", "-N"));
            Assert.Contains("destroyed 1 namespace", Ndctl(create: false, "destroy-namespace", "-f", "all"));
        }
        Assert.Equal(1L << 40, new FileInfo(Image).Length);
    }

    [GeneratedRegex("\"size\":([0-9]+)")]
    private static partial Regex SizeField();
}
