using Vnvdimm.Cli;

namespace Vnvdimm.Tests.Cli;

public sealed class VnvdimmProgramTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vnvdimm-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (int Exit, string Stdout, string Stderr) Run(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string previous = Environment.CurrentDirectory;
        int exit = VnvdimmProgram.Run(args, new StringReader(stdin), stdout, stderr);
        Assert.Equal(previous, Environment.CurrentDirectory);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void MonitorOnStdioPrintsMemoryDevicesAsQemu()
    {
        string image = Path.Combine(_folder, "nv.img");
        var (exit, stdout, stderr) = Run("info memory-devices\nquit\n",
            "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
            "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size=256M",
            "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K", "-monitor", "stdio");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(
            "QEMU 7.2.22 monitor - type 'help' for more information\n" +
            "(qemu) Memory device [nvdimm]: \"nvdimm1\"\n" +
            "  addr: 0x100000000\n  slot: 0\n  node: 0\n  size: 268304384\n" +
            "  memdev: /objects/mem1\n  hotplugged: false\n  hotpluggable: true\n(qemu) ",
            stdout.Replace("\r", string.Empty));
        Assert.Equal(256L << 20, new FileInfo(image).Length);
    }

    [Fact]
    public void ErrorIsPrefixedWithTheOptionAndExitsNonZero()
    {
        var (exit, stdout, stderr) = Run(string.Empty,
            "-machine", "pc,nvdimm=on", "-m", "512M,slots=2,maxmem=2G",
            "-object", "memory-backend-ram,id=m,size=256M",
            "-device", "nvdimm,memdev=m,slot=5");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("vnvdimm: -device nvdimm,memdev=m,slot=5: invalid slot number 5, valid range is [0-1]\n", stderr.Replace("\r", string.Empty));
    }

    [Fact]
    public void UnknownOptionIsRefused()
    {
        var (exit, _, stderr) = Run(string.Empty, "-foo");
        Assert.Equal(1, exit);
        Assert.Equal("vnvdimm: -foo: invalid option\n", stderr.Replace("\r", string.Empty));
    }

    [Fact]
    public void EndOfConsoleInputPowersOffWithExitZero()
    {
        string image = Path.Combine(_folder, "nv.img");
        var (exit, stdout, _) = Run(string.Empty,
            "-machine", "pc,nvdimm=on", "-m", "512M,slots=2,maxmem=2G",
            "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size=128M",
            "-device", "nvdimm,memdev=mem1", "-serial", "stdio");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
    }
}
