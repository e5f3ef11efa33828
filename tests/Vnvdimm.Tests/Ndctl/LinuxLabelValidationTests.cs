using System.IO.Compression;
using Vnvdimm.Tests.Guest;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.GuestReferenceCases;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>
/// Label areas crafted to break one of Linux's rules, each booted once under QEMU 7.2 with the
/// reference Linux 6.1 guest (tests/Fixtures/linux-6.1/label-validation, README there): the guest
/// console and the offline tool list what Linux listed.
/// </summary>
public sealed class LinuxLabelValidationTests
{
    private const long BackendSize = 256L << 20;
    private const int LabelSize = 128 * 1024;

    public static TheoryData<string> Cases() => ["overlap", "nlabel2", "foreign4way", "pfnbeyond", "rawsmall", "rawzero"];

    private static string CaseFolder(string name) =>
        ReferenceData.Fixture("linux-6.1", "label-validation", name);

    /// <summary>The backend Linux booted on: a sparse 256 MiB file with the crafted label area (and namespace head).</summary>
    private static string Backend(ScratchDirectory scratch, string name)
    {
        string image = scratch.File($"{name}.img");
        using var file = new FileStream(image, FileMode.CreateNew, FileAccess.Write);
        file.SetLength(BackendSize);
        file.Seek(BackendSize - LabelSize, SeekOrigin.Begin);
        Unzip(Path.Combine(CaseFolder(name), "label-area.bin.gz")).CopyTo(file);
        string head = Path.Combine(CaseFolder(name), "media-head.bin.gz");
        if (File.Exists(head))
        {
            file.Seek(0, SeekOrigin.Begin);
            Unzip(head).CopyTo(file);
        }
        return image;
    }

    private static MemoryStream Unzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        bytes.Position = 0;
        return bytes;
    }

    /// <summary>The machine Linux booted: one 256 MiB NVDIMM on <paramref name="image"/> with a 128 KiB label area.</summary>
    private static string[] Machine(string image) =>
    [
        "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
        "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size=256M",
        "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
    ];

    private static string LinuxList(string name) => File.ReadAllText(Path.Combine(CaseFolder(name), "ndctl-list-NRi.json"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_guest_console_lists_what_linux_listed(string name)
    {
        using var scratch = new ScratchDirectory("vnvdimm-labels-");
        string image = Backend(scratch, name);
        string[] args = Machine(image);
        (int exit, string stdout, string stderr) = RunConsole(args, "ndctl list -NRi");
        Assert.Equal((0, ""), (exit, stderr));
        Assert.Equal(NdctlJsonCanonical.Canonical(LinuxList(name)), NdctlJsonCanonical.Canonical(stdout));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_offline_tool_lists_what_linux_listed(string name)
    {
        using var scratch = new ScratchDirectory("vnvdimm-labels-");
        string image = Backend(scratch, name);
        NdctlHarness.Result result = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "list", "-NRi"]);
        Assert.Equal((0, ""), (result.Status, result.Error));
        Assert.Equal(NdctlJsonCanonical.Canonical(LinuxList(name)), NdctlJsonCanonical.Canonical(result.Text));
    }

    [Theory]
    [InlineData("overlap")]
    [InlineData("rawzero")]
    public void Unreservable_extents_fail_the_dimm_probe_with_linuxs_message(string name)
    {
        using var scratch = new ScratchDirectory("vnvdimm-labels-");
        string image = Backend(scratch, name);
        string[] args = Machine(image);
        (_, string dmesg, _) = RunConsole(args, "dmesg");
        Assert.Contains(File.ReadAllText(Path.Combine(CaseFolder(name), "dmesg.txt")).Trim(), dmesg.Split('\n'));
    }
}
