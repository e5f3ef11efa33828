using Vnvdimm.Cli;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>vnvdimm's -guest-folder DIR: where the guest console's commands read and write files.</summary>
public sealed class GuestFolderOptionTests
{
    private static (int Exit, string Stdout, string Stderr) Run(string stdin, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(args, new StringReader(stdin), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string[] Machine(string image) =>
    [
        "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
        "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size=256M",
        "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
    ];

    [Fact]
    public void Guest_files_are_created_in_the_given_folder()
    {
        using var scratch = new ScratchDirectory();
        string folder = Directory.CreateDirectory(scratch.File("shared")).FullName;

        (int exit, string stdout, string stderr) = Run("ndctl read-labels -o labels.bin nmem0\nndctl read-labels -o ../out.bin nmem0\n",
            [.. Machine(scratch.File("nv.img")), "-guest-folder", folder]);

        Assert.Equal((0, ""), (exit, stdout));
        Assert.Equal("read 1 nmem\nfailed to open: ../out.bin: (Permission denied)\nread 0 nmem\n", stderr);
        Assert.Equal(128 * 1024, new FileInfo(Path.Combine(folder, "labels.bin")).Length);
        Assert.False(File.Exists(scratch.File("out.bin")));
    }

    [Fact]
    public void A_missing_or_absent_folder_is_one_error_line()
    {
        using var scratch = new ScratchDirectory();
        string missing = scratch.File("nope");
        File.WriteAllText(scratch.File("file"), "");

        Assert.Equal((1, "", "vnvdimm: -guest-folder: requires an argument\n"), Run("", [.. Machine(scratch.File("nv.img")), "-guest-folder"]));
        Assert.Equal((1, "", $"vnvdimm: -guest-folder {missing}: Could not open '{missing}': No such file or directory\n"),
            Run("", [.. Machine(scratch.File("nv.img")), "-guest-folder", missing]));
        Assert.Equal((1, "", $"vnvdimm: --guest-folder {scratch.File("file")}: Could not open '{scratch.File("file")}': Not a directory\n"),
            Run("", ["--guest-folder", scratch.File("file"), .. Machine(scratch.File("nv.img"))]));
        // Nothing was created: the machine never started.
        Assert.False(File.Exists(scratch.File("nv.img")));
    }
}
