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

    [Fact]
    public void Out_under_proc_is_mkdirs_line()
    {
        // procfs refuses new entries with ENOENT, even to root (the tests run as root).
        var (exit, stdout, stderr) = Run(Machine("/proc/vnvdimm-x"));

        Assert.Equal((1, string.Empty), (exit, stdout));
        Assert.Equal("vnvdimm: acpi: cannot create directory '/proc/vnvdimm-x': No such file or directory\n", stderr);
        Assert.Empty(scratch.Snapshot());
    }

    [Theory]
    // Folders nothing can be made in, even by root: the wording and errno are whatever coreutils
    // reports on this machine for the same path (mkdir for the folder, cp for the first table).
    [InlineData("/proc/vnvdimm-x", "mkdir", "/proc/vnvdimm-x")]
    [InlineData("/sys/vnvdimm-x", "mkdir", "/sys/vnvdimm-x")]
    [InlineData("/proc", "cp", "/proc/SSDT")]
    [InlineData("/sys", "cp", "/sys/SSDT")]
    public void Out_where_nothing_can_be_created_is_coreutils_line(string outDir, string tool, string toolTarget)
    {
        string expected = Coreutils(tool, toolTarget);

        var (exit, stdout, stderr) = Run(Machine(outDir));

        Assert.Equal((1, string.Empty), (exit, stdout));
        Assert.Equal($"vnvdimm: acpi: {expected}\n", stderr);
        // Refused before the machine exists: not even the backend file was created.
        Assert.Empty(scratch.Snapshot());
    }

    /// <summary>The text after "tool: " of coreutils' error for making <paramref name="target"/> (C locale: plain quotes).</summary>
    private static string Coreutils(string tool, string target)
    {
        var start = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardError = true, UseShellExecute = false };
        start.Environment["LC_ALL"] = "C";
        foreach (string arg in tool == "cp" ? ["/dev/null", target] : new[] { target })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.NotEqual(0, process.ExitCode);
        string line = error.Split('\n')[0];
        Assert.StartsWith(tool + ": ", line);
        return line[(tool.Length + 2)..];
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
