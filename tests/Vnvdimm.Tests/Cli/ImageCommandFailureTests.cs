using Vnvdimm.Cli;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// `vnvdimm image X …` where X is no usable backend: one line in QEMU's words for a mem-path
/// (checked against qemu-system-x86_64 7.2), exit 1, no stack trace, X untouched (hash and mtime),
/// nothing created.
/// </summary>
public sealed class ImageCommandFailureTests : IDisposable
{
    private readonly ScratchDirectory scratch = new("vnvdimm-image-bad-");

    public void Dispose() => scratch.Dispose();

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(["image", .. args], new StringReader(string.Empty), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private void AssertRefused(string expectedLine, params string[] args)
    {
        var before = State();

        var (exit, stdout, stderr) = Run(args);

        Assert.Equal((1, string.Empty), (exit, stdout));
        Assert.Equal($"vnvdimm: image: {expectedLine}\n", stderr);
        Assert.Equal(before, State());
    }

    /// <summary>Every entry with its mtime, and for regular files length and SHA-256 (a FIFO is never opened: that would block).</summary>
    private SortedDictionary<string, string> State()
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string entry in Directory.EnumerateFileSystemEntries(scratch.Path, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(entry);
            bool regular = info.Exists && info.LinkTarget is null && !Path.GetFileName(entry).StartsWith("fifo", StringComparison.Ordinal);
            state[entry] = $"{File.GetLastWriteTimeUtc(entry):O} {(regular ? ScratchDirectory.Fingerprint(entry).ToString() : "-")}";
        }
        return state;
    }

    private string Fifo()
    {
        string path = scratch.File("fifo");
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fifo_is_refused_as_qemu_refuses_to_map_it(bool withSize)
    {
        string fifo = Fifo();
        string[] size = withSize ? ["--size", "64M"] : [];
        // qemu-system-x86_64 -object memory-backend-file,mem-path=FIFO,size=64M: "unable to map backing store for guest RAM: No such device"
        AssertRefused($"unable to map backing store {fifo}: No such device", [fifo, .. size, "--label-size", "128K", "--", "ndctl", "list", "-NRDi"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_directory_is_refused(bool withSize)
    {
        string directory = scratch.File("dir");
        Directory.CreateDirectory(directory);
        string[] size = withSize ? ["--size", "64M"] : [];
        AssertRefused($"can't open backing store {directory}: Is a directory", [directory, .. size, "--label-size", "128K", "--", "ndctl", "list", "-NRDi"]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public void A_dangling_symbolic_link_is_refused()
    {
        string link = scratch.File("dangling");
        string target = scratch.File("elsewhere/backend.img");
        File.CreateSymbolicLink(link, target);
        AssertRefused($"can't open backing store {link}: No such file or directory", link, "--label-size", "128K", "--", "ndctl", "list");
    }

    [Fact]
    public void A_dangling_symbolic_link_with_size_creates_nothing_through_it()
    {
        // QEMU 7.2 never creates a backend through a dangling link (its open loop spins forever); neither do we.
        string link = scratch.File("dangling");
        string target = scratch.File("target.img");
        File.CreateSymbolicLink(link, target);
        AssertRefused($"can't open backing store {link}: No such file or directory (dangling symbolic link to '{target}', not created through it)",
            link, "--size", "64M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0");
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void A_missing_file_without_size_is_refused()
    {
        string missing = scratch.File("missing.img");
        // qemu-system-x86_64 -object memory-backend-file,mem-path=nonexist/x,...: "can't open backing store nonexist/x for guest RAM: No such file or directory"
        AssertRefused($"can't open backing store {missing}: No such file or directory", missing, "--label-size", "128K", "--", "ndctl", "list");
        Assert.False(File.Exists(missing));
    }

    [Theory]
    [InlineData(4096, "0x1000")]
    [InlineData(128 * 1024, "0x20000")]
    [InlineData(128 * 1024 + 4095, "0x20fff")]
    public void A_file_without_room_for_labels_and_a_page_is_refused_in_qemus_words(int length, string hex)
    {
        string image = scratch.CreateFile("short.img", length, seed: 1);
        // QEMU: "the size of memdev mem1 (0x1000) is too small to contain nvdimm label (0x20000) and aligned PMEM (0x1000)"
        AssertRefused($"the size of {image} ({hex}) is too small to contain nvdimm label (0x20000) and aligned PMEM (0x1000)",
            image, "--label-size", "128K", "--", "ndctl", "list");
    }

    [Fact]
    public void An_existing_file_of_another_size_is_refused_in_qemus_words()
    {
        string image = scratch.CreateFile("small.img", 4096, seed: 2);
        // QEMU: "backing store size 0x1000 does not match 'size' option 0x4000000"
        AssertRefused("backing store size 0x1000 does not match 'size' option 0x4000000",
            image, "--size", "64M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0");
    }

    [Fact]
    public void A_new_file_too_small_for_its_label_area_is_not_created()
    {
        string image = scratch.File("new.img");
        AssertRefused($"the size of {image} (0x20000) is too small to contain nvdimm label (0x20000) and aligned PMEM (0x1000)",
            image, "--size", "128K", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0");
        Assert.False(File.Exists(image));
    }
}
