using Vnvdimm.Cli;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// `vnvdimm acpi … --out X` where X cannot be used: one line in mkdir's/cp's words (strerror after
/// the path), exit 1, no stack trace, and nothing left behind: not the folder, not a staging file,
/// not the backend file the machine would have created.
/// </summary>
public sealed class AcpiCommandFailureTests : IDisposable
{
    private readonly ScratchDirectory scratch = new("vnvdimm-acpi-out-");

    public void Dispose() => scratch.Dispose();

    private string[] Machine(string outDir) =>
    [
        "acpi", "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
        "-object", $"memory-backend-file,id=mem1,share=on,mem-path={scratch.File("nv.img")},size=256M",
        "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K", "--out", outDir,
    ];

    private static (int Exit, string Stdout, string Stderr) Run(string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(args, new StringReader(string.Empty), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Out_naming_an_existing_regular_file_is_refused_and_the_file_kept()
    {
        string existing = scratch.File("existing");
        File.WriteAllText(existing, "keep me");
        DateTime mtime = File.GetLastWriteTimeUtc(existing);

        var (exit, stdout, stderr) = Run(Machine(existing));

        Assert.Equal((1, string.Empty), (exit, stdout));
        Assert.Equal($"vnvdimm: acpi: cannot create directory '{existing}': File exists\n", stderr);
        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(existing));
        Assert.Equal(["existing"], scratch.Snapshot().Keys);
    }

    [Theory]
    // /proc refuses new entries with ENOENT and /sys with EPERM, even to root (the tests run as root).
    [InlineData("/proc/vnvdimm-x", "cannot create directory '/proc/vnvdimm-x': No such file or directory")]
    [InlineData("/sys/vnvdimm-x", "cannot create directory '/sys/vnvdimm-x': Operation not permitted")]
    // Existing folders that take no new files: refused before the machine (and its backend file) exists.
    [InlineData("/proc", "cannot create regular file '/proc/SSDT': No such file or directory")]
    [InlineData("/sys", "cannot create regular file '/sys/SSDT': Permission denied")]
    public void Out_where_nothing_can_be_created_is_one_line(string outDir, string message)
    {
        var (exit, stdout, stderr) = Run(Machine(outDir));

        Assert.Equal((1, string.Empty), (exit, stdout));
        Assert.Equal($"vnvdimm: acpi: {message}\n", stderr);
        Assert.Empty(scratch.Snapshot());
        Assert.False(Directory.Exists(outDir) && outDir.Contains("vnvdimm-x", StringComparison.Ordinal));
    }

    [Fact]
    public void Out_below_a_missing_folder_creates_nothing()
    {
        string outDir = scratch.File("missing/tables");

        var (exit, _, stderr) = Run(Machine(outDir));

        Assert.Equal(1, exit);
        Assert.Equal($"vnvdimm: acpi: cannot create directory '{outDir}': No such file or directory\n", stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch.Path));
    }

    [Fact]
    public void A_refused_machine_removes_the_folder_it_made_for_out()
    {
        string outDir = scratch.File("tables");
        string[] args = [.. Machine(outDir), "-foo"];

        var (exit, _, stderr) = Run(args);

        Assert.Equal((1, "vnvdimm: -foo: invalid option\n"), (exit, stderr));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_good_out_folder_gets_exactly_the_four_files()
    {
        string outDir = scratch.File("tables");

        var (exit, stdout, stderr) = Run(Machine(outDir));

        Assert.Equal((0, string.Empty), (exit, stderr));
        Assert.Equal(["E04.aml", "NFIT", "SSDT", "table-loader"], Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(4, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
