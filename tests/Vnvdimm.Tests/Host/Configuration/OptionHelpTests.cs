using System.Diagnostics;
using Vnvdimm.Cli;
using Vnvdimm.Tests.TestSupport;
using Xunit.Abstractions;

namespace Vnvdimm.Tests.Host.Configuration;

/// <summary>
/// The help options: each prints on standard output, exits 0 and creates nothing, even with
/// other options (a backend file, a QMP socket) on the command line. Against qemu-system-x86_64
/// 7.2: every line vnvdimm prints is a line QEMU prints for the same arguments, in the same
/// relative order, and QEMU's lines for what vnvdimm supports are all there.
/// </summary>
public sealed class OptionHelpTests(ITestOutputHelper output)
{
    // Arguments that would create a backend file and a socket if the machine were built.
    private static readonly string[] Creating =
    [
        "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
        "-object", "memory-backend-file,id=mem1,share=on,mem-path=@DIR@/nv.img,size=256M",
        "-qmp", "unix:@DIR@/q.sock,server=on,wait=off",
    ];

    public static TheoryData<string[]> QemuHelpOptions() => new()
    {
        new[] { "-machine", "help" },
        new[] { "-M", "?" },
        new[] { "-machine", "pc,help" },
        new[] { "-machine", "q35,help" },
        new[] { "-machine", "help,type=pc-q35-7.2" },
        new[] { "-device", "help" },
        new[] { "-device", "?" },
        new[] { "-device", "nvdimm,help" },
        new[] { "-device", "nvdimm,id=nv1,help" },
        new[] { "-device", "pc-dimm,help" },
        new[] { "-device", "pc-dimm,?" },
        new[] { "-object", "help" },
        new[] { "-object", "memory-backend-file,help" },
        new[] { "-object", "memory-backend-ram,help" },
        new[] { "-object", "memory-backend-memfd,id=m,size=foo,help" },
    };

    [Theory]
    [MemberData(nameof(QemuHelpOptions))]
    public void Help_lines_are_qemus_lines_in_qemus_order(string[] help)
    {
        string qemu = ExternalTools.Require("qemu-system-x86_64", output.WriteLine) ?? string.Empty;
        if (qemu.Length == 0)
        {
            return;
        }
        using var dir = new ScratchDirectory();
        string[] args = [.. Creating.Select(a => a.Replace("@DIR@", dir.Path, StringComparison.Ordinal)), .. help];
        (int qemuExit, string qemuOut, string qemuErr) = RunQemu(qemu, args, dir.Path);
        foreach (string file in Directory.EnumerateFileSystemEntries(dir.Path))
        {
            File.Delete(file);
        }
        (int ourExit, string ourOut, string ourErr) = RunVnvdimm(args);

        Assert.Equal(0, qemuExit);
        Assert.Equal(string.Empty, qemuErr);
        Assert.Equal(0, ourExit);
        Assert.Equal(string.Empty, ourErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        string[] ours = Lines(ourOut);
        string[] theirs = Lines(qemuOut);
        Assert.True(ours.Length >= 2, ourOut);
        AssertSubsequence(ours, theirs);
    }

    [Fact]
    public void Lists_name_exactly_the_supported_entries()
    {
        Assert.Equal(
            ["Supported machines are:",
             "pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-7.2)",
             "pc-i440fx-7.2        Standard PC (i440FX + PIIX, 1996) (default)",
             "q35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)",
             "pc-q35-7.2           Standard PC (Q35 + ICH9, 2009)"],
            Lines(Help("-machine", "help")));
        Assert.Equal(
            ["Storage devices:", "name \"nvdimm\", desc \"DIMM memory module\"", "", "Uncategorized devices:", "name \"pc-dimm\", desc \"DIMM memory module\""],
            Lines(Help("-device", "help")));
        Assert.Equal(
            ["nvdimm options:",
             "  addr=<uint64>          -  (default: 0)",
             "  label-size=<int>",
             "  memdev=<link<memory-backend>>",
             "  node=<uint32>          -  (default: 0)",
             "  size=<uint64>",
             "  slot=<int32>           -  (default: -1)",
             "  unarmed=<bool>         -  (default: false)",
             "  uuid=<QemuUUID>"],
            Lines(Help("-device", "nvdimm,help")));
        Assert.Equal(
            ["List of user creatable objects:", "  memory-backend-file", "  memory-backend-memfd", "  memory-backend-ram"],
            Lines(Help("-object", "help")));
        string[] file = Lines(Help("-object", "memory-backend-file,help"));
        Assert.Equal("memory-backend-file options:", file[0]);
        Assert.Contains("  prealloc-context=<link<thread-context>> - Context to use for creating CPU threads for preallocation", file);
        Assert.Contains("  size=<int>             - Size of the memory region (ex: 500M)", file);
        Assert.Contains("  mem-path=<string>", file);
        Assert.Equal(17, file.Length);
    }

    [Fact]
    public void An_unknown_driver_with_help_is_reported_and_exits_0_as_in_qemu()
    {
        // qemu-system-x86_64 -device foo,help: "-device foo,help: Device 'foo' not found", status 0.
        var stdout = new StringWriter();
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(["-device", "foo,help"], new StringReader(string.Empty), stdout, stderr);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout.ToString());
        Assert.Equal("vnvdimm: -device foo,help: Device 'foo' not found\n", stderr.ToString());
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-help")]
    [InlineData("--help")]
    public void Usage_names_the_supported_options_and_the_verbs_and_creates_nothing(string option)
    {
        using var dir = new ScratchDirectory();
        string[] args = [.. Creating.Select(a => a.Replace("@DIR@", dir.Path, StringComparison.Ordinal)), option];
        (int exit, string stdout, string stderr) = RunVnvdimm(args);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
        string[] lines = Lines(stdout);
        Assert.StartsWith("vnvdimm version ", lines[0], StringComparison.Ordinal);
        Assert.Equal("usage: vnvdimm [options]", lines[1]);
        foreach (string name in new[] { "-h or -help", "-version", "-machine [type=]name", "-cpu", "-smp", "-numa node", "-m [size=]megs", "-device driver", "-object TYPENAME", "-monitor dev", "-qmp dev", "-serial dev" })
        {
            Assert.Contains(lines, line => line.StartsWith(name, StringComparison.Ordinal));
        }
        Assert.Contains(lines, line => line.StartsWith("acpi ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("image ", StringComparison.Ordinal));
        // Only options vnvdimm has: no QEMU option it would refuse.
        foreach (string refused in new[] { "-drive", "-kernel", "-netdev", "-boot", "-global" })
        {
            Assert.DoesNotContain(lines, line => line.StartsWith(refused, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("-version")]
    [InlineData("--version")]
    public void Version_is_one_line_naming_vnvdimm_and_qemu_72(string option)
    {
        (int exit, string stdout, string stderr) = RunVnvdimm([option, "-m", "512M"]);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Matches(@"^vnvdimm version \d+\.\d+\.\d+, .*QEMU 7\.2's vNVDIMM.*\n$", stdout);
    }

    [Theory]
    // Help is acted on where QEMU's option loop meets it: an error before it wins.
    [InlineData(new[] { "-m", "foo", "-machine", "help" }, 1, "vnvdimm: -m foo: Parameter 'size' expects a non-negative number below 2^64")]
    [InlineData(new[] { "-m", "foo", "-h" }, 1, "vnvdimm: -m foo: Parameter 'size' expects a non-negative number below 2^64")]
    [InlineData(new[] { "-h", "-bogus" }, 1, "vnvdimm: -bogus: invalid option")]
    [InlineData(new[] { "-device", "help", "-m" }, 1, "vnvdimm: -m: requires an argument")]
    [InlineData(new[] { "-device", "nvdimm,help", "-m", "foo" }, 1, "vnvdimm: -m foo: Parameter 'size' expects a non-negative number below 2^64")]
    [InlineData(new[] { "-device", "nvdimm,id=1x,help" }, 1, "vnvdimm: -device nvdimm,id=1x,help: Parameter 'id' expects an identifier")]
    [InlineData(new[] { "-object", "memory-backend-file,help,id=1x" }, 1, "vnvdimm: -object memory-backend-file,help,id=1x: Parameter 'id' expects an identifier")]
    [InlineData(new[] { "-object", "memory-backend-foo,help" }, 1, "vnvdimm: -object memory-backend-foo,help: Parameter 'qom-type' does not accept value 'memory-backend-foo'")]
    [InlineData(new[] { "-M", "help,x" }, 1, "vnvdimm: -M help,x: Expected '=' after parameter 'x'")]
    [InlineData(new[] { "-machine", "help", "-m", "foo" }, 0, null)]
    [InlineData(new[] { "-device", "nvdimm,help", "-machine", "bogus" }, 0, null)]
    [InlineData(new[] { "-object", "memory-backend-file,help", "-m", "foo" }, 0, null)]
    public void Help_is_taken_in_qemus_order(string[] args, int expectedExit, string? expectedFirstLine)
    {
        (int exit, string stdout, string stderr) = RunVnvdimm(args);
        Assert.Equal(expectedExit, exit);
        if (expectedFirstLine is null)
        {
            Assert.Equal(string.Empty, stderr);
            Assert.NotEqual(string.Empty, stdout);
        }
        else
        {
            Assert.Equal(expectedFirstLine, Lines(stderr)[0]);
        }
    }

    private static string Help(params string[] args)
    {
        (int exit, string stdout, string stderr) = RunVnvdimm(args);
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        return stdout;
    }

    private static string[] Lines(string text) => text.TrimEnd('\n').Split('\n');

    // Each of ours must be found in theirs after the previous match.
    private static void AssertSubsequence(string[] ours, string[] theirs)
    {
        int next = 0;
        foreach (string line in ours)
        {
            int found = Array.IndexOf(theirs, line, next);
            Assert.True(found >= 0, $"'{line}' is not among QEMU's lines after line {next}:\n{string.Join('\n', theirs)}");
            next = found + 1;
        }
    }

    private static (int Exit, string Stdout, string Stderr) RunVnvdimm(string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(args, new StringReader(string.Empty), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static (int Exit, string Stdout, string Stderr) RunQemu(string qemu, string[] args, string directory)
    {
        var start = new ProcessStartInfo(qemu)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "-S", "-display", "none", "-nodefaults", "-monitor", "none" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(20_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"qemu-system-x86_64 did not exit: {string.Join(' ', args)}");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
