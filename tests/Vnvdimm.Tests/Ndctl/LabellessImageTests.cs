using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>
/// `vnvdimm image FILE --label-size 0`: QEMU's default NVDIMM (no label area) offline. Reconfigured
/// through fsdax, devdax, sector and raw, the backend holds the bytes Linux 6.1 wrote into the same
/// 512M backend under QEMU (tests/Fixtures/ndctl-76/labelless), given Linux's uuids: the pfn and dax
/// info blocks at 4 KiB, the btt's info block and its log and backup info block at the end.
/// </summary>
public sealed class LabellessImageTests : IDisposable
{
    private const long ImageSize = 512L << 20;
    private readonly string _folder = Directory.CreateTempSubdirectory("vnvdimm-labelless-image-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Expected(string file) => File.ReadAllBytes(Path.Combine(ReferenceData.Fixture("ndctl-76", "labelless"), file));

    /// <summary>The uuid an info block carries (bytes 16–31, in uuid string order).</summary>
    private static Guid UuidOf(byte[] infoBlock) => new(infoBlock.AsSpan(16, 16), bigEndian: true);

    private static byte[] Read(string image, long offset, int length)
    {
        byte[] bytes = new byte[length];
        using FileStream file = File.OpenRead(image);
        file.Position = offset;
        file.ReadExactly(bytes);
        return bytes;
    }

    private static NdctlHarness.Result Reconfigure(string image, string mode, Guid personality) =>
        NdctlHarness.Image([image, "--label-size", "0", "--", "ndctl", "create-namespace", "-f", "-e", "namespace0.0", "-m", mode],
            uuids: () => personality);

    [Fact]
    public void Every_mode_writes_what_linux_wrote()
    {
        string image = Path.Combine(_folder, "nv.img");
        Assert.Equal(0, NdctlHarness.Image([image, "--size", "512M", "--label-size", "0", "--", "ndctl", "list", "-N"]).Status);

        foreach ((string mode, string file) in new[] { ("fsdax", "fsdax-infoblock.bin"), ("devdax", "devdax-infoblock.bin"), ("sector", "sector-infoblock.bin") })
        {
            byte[] expected = Expected(file);
            NdctlHarness.Result result = Reconfigure(image, mode, UuidOf(expected));

            Assert.True(result.Status == 0, $"{mode}: {result.Error}");
            Assert.Contains($"\"mode\":\"{mode}\"", result.Text);
            Assert.Equal(new byte[4096], Read(image, 0, 4096));
            Assert.Equal(expected, Read(image, 4096, 4096));
        }
        byte[] tail = Expected("sector-tail-64k.bin");
        Assert.Equal(tail, Read(image, ImageSize - tail.Length, tail.Length));

        NdctlHarness.Result raw = Reconfigure(image, "raw", Guid.NewGuid());
        Assert.Equal(0, raw.Status);
        Assert.Contains("\"mode\":\"raw\"", raw.Text);
        Assert.Equal(new byte[8192], Read(image, 0, 8192));
    }

    [Fact]
    public void A_size_other_than_the_regions_is_refused_in_ndctls_words_and_changes_nothing()
    {
        string image = Path.Combine(_folder, "nv.img");
        NdctlHarness.Image([image, "--size", "512M", "--label-size", "0", "--", "ndctl", "list"]);

        NdctlHarness.Result result = NdctlHarness.Image([image, "--label-size", "0", "--", "ndctl", "create-namespace", "-f", "-e", "namespace0.0", "-m", "fsdax", "-s", "256M"]);

        Assert.Equal(234, result.Status);
        Assert.Equal(
            "  Error: Legacy / label-less namespaces do not support sub-dividing a region\n\n  Error: Retry without -s/--size=\n\nfailed to reconfigure namespace: Invalid argument\n",
            result.Error);
        Assert.Equal(new byte[8192], Read(image, 0, 8192));
    }
}
