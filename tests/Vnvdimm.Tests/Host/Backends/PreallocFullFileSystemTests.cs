using System.Diagnostics;
using Vnvdimm.Cli;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Backends;

/// <summary>
/// prealloc=on where the space is not there: a 64 MiB tmpfs or loop-mounted ext4 (mounted here;
/// needs root, which CI has) and a 256 MiB backend. QEMU 7.2 prints one line and exits 1 (MADV_POPULATE_WRITE fails
/// with EFAULT, no SIGBUS), and leaves the file it created, full of the blocks it got. vnvdimm
/// prints the same line and removes a file it created; a file that existed before stays.
/// </summary>
public sealed class PreallocFullFileSystemTests : IDisposable
{
    private const string Line = "qemu_prealloc_mem: preallocating memory failed: Bad address";
    private readonly string _mount;
    private string? _loopImage;

    public PreallocFullFileSystemTests()
    {
        _mount = Directory.CreateTempSubdirectory("vnvdimm-small-fs-").FullName;
        if (!Environment.IsPrivilegedProcess)
        {
            Directory.Delete(_mount);
            ExternalTools.Missing("root, to mount a 64 MiB file system for the full-file-system prealloc tests");
        }
    }

    /// <summary>Mounts a 64 MiB tmpfs, or a 64 MiB ext4 on a loop device (where prealloc fallocates first).</summary>
    private void Mount(string fileSystem)
    {
        if (fileSystem == "tmpfs")
        {
            Run("mount", "-t", "tmpfs", "-o", "size=64M", "tmpfs", _mount);
            return;
        }
        string mkfs = ExternalTools.Require("mkfs.ext4", "e2fsprogs");
        _loopImage = _mount + ".ext4";
        using (var image = new FileStream(_loopImage, FileMode.CreateNew))
        {
            image.SetLength(64L << 20);
        }
        Run(mkfs, "-q", "-F", _loopImage);
        Run("mount", "-o", "loop", _loopImage, _mount);
    }

    public void Dispose()
    {
        if (Directory.Exists(_mount))
        {
            if (File.ReadLines("/proc/mounts").Any(line => line.Split(' ')[1] == _mount))
            {
                Run("umount", _mount);
            }
            Directory.Delete(_mount);
        }
        if (_loopImage is not null)
        {
            File.Delete(_loopImage);
        }
    }

    private string Backend => Path.Combine(_mount, "x");

    private static string[] Arguments(string memPath, string extra) =>
        ["-machine", "pc", "-m", "512M,slots=2,maxmem=4G",
         "-object", $"memory-backend-file,id=m,mem-path={memPath},size=256M,prealloc=on,share=on{extra}", "-monitor", "stdio"];

    private static (int Exit, string Stderr) RunVnvdimm(string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(args, new StringReader("quit\n"), stdout, stderr);
        return (exit, stderr.ToString());
    }

    [Theory]
    [InlineData("tmpfs", "")]
    [InlineData("tmpfs", ",prealloc-threads=2")]
    [InlineData("ext4", "")]
    [InlineData("ext4", ",prealloc-threads=2")]
    public void A_new_file_is_refused_in_qemus_words_and_removed(string fileSystem, string extra)
    {
        Mount(fileSystem);
        long usedBefore = UsedBytes(_mount);

        var (exit, stderr) = RunVnvdimm(Arguments(Backend, extra));

        Assert.Equal($"vnvdimm: {Line}\n", stderr);
        Assert.Equal(1, exit);
        Assert.False(File.Exists(Backend));
        // The blocks the populate got are free again.
        Assert.Equal(usedBefore, UsedBytes(_mount));
    }

    [Fact]
    public void An_existing_file_is_refused_and_kept()
    {
        Mount("tmpfs");
        using (var file = new FileStream(Backend, FileMode.CreateNew))
        {
            file.SetLength(256L << 20);
        }

        var (exit, stderr) = RunVnvdimm(Arguments(Backend, string.Empty));

        Assert.Equal($"vnvdimm: {Line}\n", stderr);
        Assert.Equal(1, exit);
        Assert.Equal(256L << 20, new FileInfo(Backend).Length);
    }

    [Fact]
    public async Task Qemu_prints_the_same_line_and_leaves_its_file()
    {
        string qemu = ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
        Mount("tmpfs");
        var start = new ProcessStartInfo(qemu)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])["-S", "-display", "none", "-nodefaults", .. Arguments(Backend, string.Empty)])
        {
            start.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        string stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(process.WaitForExit(60_000));
        await stdout;

        Assert.Equal($"qemu-system-x86_64: {Line}\n", stderr);
        Assert.Equal(1, process.ExitCode);
        // QEMU's behaviour that vnvdimm deliberately does not copy: the file stays, filling the file system.
        Assert.True(File.Exists(Backend));
        Assert.Equal(64L << 20, UsedBytes(_mount));
    }

    private static long UsedBytes(string mount)
    {
        var drive = new DriveInfo(mount);
        return drive.TotalSize - drive.TotalFreeSpace;
    }

    private static void Run(string program, params string[] arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}: {error}");
        }
    }
}
