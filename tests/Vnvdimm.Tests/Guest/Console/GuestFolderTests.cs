using System.Text;
using Vnvdimm.Cli;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Console;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.GuestReferenceCases;

namespace Vnvdimm.Tests.Guest.Console;

/// <summary>
/// Files a guest command names (read-labels -o, write-labels -i) stay inside the guest folder: "..",
/// absolute paths outside it and links leading out are refused in ndctl's "failed to open: %s: (%s)"
/// words with exit 1, and nothing outside is read or written.
/// </summary>
public sealed class GuestFolderTests : IDisposable
{
    private const int LabelSize = 128 * 1024;

    private readonly ScratchDirectory _scratch = new("vnvdimm-folder-");
    private readonly string _folder;
    private readonly string _outside;
    private readonly VirtualMachine _machine;
    private readonly LinuxGuest _guest;
    private readonly GuestShell _shell;
    private readonly byte[] _labels = new byte[LabelSize];

    public GuestFolderTests()
    {
        _folder = Directory.CreateDirectory(_scratch.File("guest")).FullName;
        _outside = Directory.CreateDirectory(_scratch.File("host")).FullName;
        new Random(11).NextBytes(_labels);
        string image = _scratch.File("s1a.img");
        using (var file = new FileStream(image, FileMode.CreateNew))
        {
            file.SetLength(256L << 20);
            file.Position = file.Length - LabelSize;
            file.Write(_labels);
        }
        _machine = VirtualMachine.Create(Arguments("s1", _scratch.Path), new StderrSink(_ => { }, _ => { }));
        _guest = GuestConsole.Boot(_machine);
        _shell = new GuestShell(_guest, new GuestFolder(_folder));
    }

    public void Dispose()
    {
        _guest.Dispose();
        _machine.Dispose();
        _scratch.Dispose();
    }

    private (int Exit, string Stdout, string Stderr) Run(string command)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = _shell.Execute(command, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private byte[] LabelArea()
    {
        byte[] image = File.ReadAllBytes(_scratch.File("s1a.img"));
        return image.AsSpan(image.Length - LabelSize).ToArray();
    }

    [Fact]
    public void Relative_and_absolute_paths_inside_the_folder_are_used()
    {
        Assert.Equal((0, "", "read 1 nmem\n"), Run("ndctl read-labels -o dump.bin nmem0"));
        Assert.Equal(_labels, File.ReadAllBytes(Path.Combine(_folder, "dump.bin")));

        Directory.CreateDirectory(Path.Combine(_folder, "sub"));
        Assert.Equal((0, "", "read 1 nmem\n"), Run($"ndctl read-labels -o {Path.Combine(_folder, "sub", "again.bin")} nmem0"));
        Assert.Equal(_labels, File.ReadAllBytes(Path.Combine(_folder, "sub", "again.bin")));
        Assert.Equal((0, "", "read 1 nmem\n"), Run("ndctl read-labels -o sub/../third.bin nmem0"));
        Assert.True(File.Exists(Path.Combine(_folder, "third.bin")));
    }

    [Theory]
    [InlineData("../escape.bin")]
    [InlineData("sub/../../escape.bin")]
    [InlineData("HOST/escape.bin")]
    public void Output_outside_the_folder_is_refused_and_nothing_is_written(string path)
    {
        path = path.Replace("HOST", _outside, StringComparison.Ordinal);

        (int exit, string stdout, string stderr) = Run($"ndctl read-labels -o {path} nmem0");

        Assert.Equal((1, "", $"failed to open: {path}: (Permission denied)\nread 0 nmem\n"), (exit, stdout, stderr));
        Assert.False(File.Exists(_scratch.File("escape.bin")));
        Assert.False(File.Exists(Path.Combine(_outside, "escape.bin")));
    }

    [Fact]
    public void A_host_system_file_is_neither_overwritten_nor_read()
    {
        string victim = Path.Combine(_outside, "passwd");
        File.WriteAllText(victim, "root:x:0:0\n");
        Assert.Equal((0, "", "disabled 1 region\n"), Run("ndctl disable-region region0"));

        Assert.Equal((1, "", $"failed to open: {victim}: (Permission denied)\nread 0 nmem\n"), Run($"ndctl read-labels -o {victim} nmem0"));
        Assert.Equal((1, "", $"failed to open: {victim}: (Permission denied)\nwrote 0 nmem\n"), Run($"ndctl write-labels nmem0 -i {victim}"));
        Assert.Equal((1, "", "failed to open: /etc/passwd: (Permission denied)\nwrote 0 nmem\n"), Run("ndctl write-labels nmem0 -i /etc/passwd"));

        Assert.Equal("root:x:0:0\n", File.ReadAllText(victim));
        Assert.Equal(_labels, LabelArea());
    }

    [Fact]
    public void Links_leading_out_of_the_folder_are_refused()
    {
        string victim = Path.Combine(_outside, "victim.bin");
        File.WriteAllText(victim, "keep");
        File.CreateSymbolicLink(Path.Combine(_folder, "link.bin"), victim);
        File.CreateSymbolicLink(Path.Combine(_folder, "dangling.bin"), Path.Combine(_outside, "new.bin"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "dir"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_folder, "up"), "..");

        Assert.Equal((1, "", "failed to open: link.bin: (Permission denied)\nread 0 nmem\n"), Run("ndctl read-labels -o link.bin nmem0"));
        Assert.Equal((1, "", "failed to open: dangling.bin: (Permission denied)\nread 0 nmem\n"), Run("ndctl read-labels -o dangling.bin nmem0"));
        Assert.Equal((1, "", "failed to open: dir/new.bin: (Permission denied)\nread 0 nmem\n"), Run("ndctl read-labels -o dir/new.bin nmem0"));
        Assert.Equal((1, "", "failed to open: up/host/x.bin: (Permission denied)\nread 0 nmem\n"), Run("ndctl read-labels -o up/host/x.bin nmem0"));

        Assert.Equal("keep", File.ReadAllText(victim));
        Assert.Equal(["victim.bin"], Directory.GetFiles(_outside).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(_outside, "x.bin")));
    }

    [Fact]
    public void A_link_that_stays_inside_is_followed()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "real"));
        Directory.CreateSymbolicLink(Path.Combine(_folder, "alias"), "real");

        Assert.Equal((0, "", "read 1 nmem\n"), Run("ndctl read-labels -o alias/x.bin nmem0"));
        Assert.Equal(_labels, File.ReadAllBytes(Path.Combine(_folder, "real", "x.bin")));
    }

    [Fact]
    public void Write_labels_reads_its_input_from_the_folder()
    {
        byte[] input = new byte[LabelSize];
        new Random(12).NextBytes(input);
        File.WriteAllBytes(Path.Combine(_folder, "in.bin"), input);
        Run("ndctl disable-region region0");

        Assert.Equal((0, "", "wrote 1 nmem\n"), Run("ndctl write-labels nmem0 -i in.bin"));
        Assert.Equal(input, LabelArea());
    }

    [Fact]
    public void Read_labels_without_output_file_writes_the_bytes_to_stdout()
    {
        (int exit, string stdout, string stderr) = Run("ndctl read-labels nmem0");

        Assert.Equal((0, "read 1 nmem\n"), (exit, stderr));
        // Linux: `ndctl read-labels nmem0 | wc -c` printed 131072 (fixture disable/cmds-output.txt).
        Assert.Equal(_labels, Encoding.Latin1.GetBytes(stdout));
    }
}
