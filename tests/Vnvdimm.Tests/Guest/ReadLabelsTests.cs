using System.Text.Json.Nodes;
using Vnvdimm.Cli;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.GuestReferenceCases;

namespace Vnvdimm.Tests.Guest;

/// <summary><c>ndctl read-labels</c> in the guest console reads the label area through the NFIT driver's _DSM calls.</summary>
public sealed class ReadLabelsTests(ITestOutputHelper output)
{
    private const int LabelSize = 128 * 1024;

    [Fact]
    public void Read_labels_to_a_file_dumps_the_backends_label_area()
    {
        using var scratch = new ScratchDirectory("vnvdimm-guest-");
        // s1's backend, with recognisable bytes in its last 128 KiB (the label area).
        string image = scratch.File("s1a.img");
        byte[] labels = new byte[LabelSize];
        new Random(5).NextBytes(labels);
        using (var file = new FileStream(image, FileMode.CreateNew))
        {
            file.SetLength(256L << 20);
            file.Position = file.Length - LabelSize;
            file.Write(labels);
        }
        string dump = scratch.File("labels.bin");

        (int exit, string stdout, string stderr) = RunConsole([.. Arguments("s1", scratch.Path), "-guest-folder", scratch.Path], $"ndctl read-labels -o {dump} nmem0");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("read 1 nmem\n", stderr);
        Assert.Equal(labels, File.ReadAllBytes(dump));
    }

    [Fact]
    public void Read_labels_of_linux_written_labels_matches_the_capture()
    {
        using var scratch = new ScratchDirectory("vnvdimm-guest-");
        PrepareBackends("lab", scratch.Path, output.WriteLine);
        string dump = scratch.File("l.bin");

        (_, string stdout, string stderr) = RunConsole([.. Arguments("lab", scratch.Path), "-guest-folder", scratch.Path], $"ndctl read-labels -o {dump} nmem0", "ndctl read-labels -j nmem0");

        Assert.Equal("read 1 nmem\nread 1 nmem\n", stderr);
        byte[] image = File.ReadAllBytes(scratch.File("lab.img"));
        Assert.Equal(image.AsSpan(image.Length - LabelSize).ToArray(), File.ReadAllBytes(dump));
        // The capture is ndctl's output on the guest's serial console, a terminal: one DIMM prints as
        // one object. stderr's "read 1 nmem" followed it there (2>&1).
        string capture = File.ReadAllText(Path.Combine(ReferenceData.Case("lab"), "read-labels.json"));
        Assert.Equal(capture, stdout + "read 1 nmem\n");
    }

    [Theory]
    [InlineData("lab", 0, true)]
    [InlineData("s1", -1, false)]
    public void The_dimm_driver_finds_the_label_index_linux_wrote(string name, int current, bool labelled)
    {
        using var scratch = new ScratchDirectory("vnvdimm-guest-");
        PrepareBackends(name, scratch.Path, output.WriteLine);
        using VirtualMachine machine = VirtualMachine.Create(Arguments(name, scratch.Path), new StderrSink(_ => { }, _ => { }));
        using LinuxGuest guest = GuestConsole.Boot(machine);

        Nvdimm dimm = guest.NvdimmBuses.Single().Dimms.Single();
        Assert.True(dimm.IsEnabled);
        Assert.Equal(new NdConfigSize(0, LabelSize, 4076), dimm.ConfigArea);
        Assert.Equal(current, dimm.CurrentIndex);
        Assert.Equal(labelled, dimm.IsLabeling);
        Assert.Equal(labelled, guest.NvdimmBuses.Single().Regions.Single().IsLabelled);
        if (labelled)
        {
            // The kernel's copy: both index blocks and the in-use slots 1 and 2; slot 0 holds a stale
            // label the current index (seq 1, newer than 3) marks free, so the copy has zeros there.
            byte[] image = File.ReadAllBytes(scratch.File("lab.img"));
            ReadOnlySpan<byte> area = image.AsSpan(image.Length - LabelSize);
            Assert.Equal(area[..512].ToArray(), dimm.LabelData!.AsSpan(0, 512).ToArray());
            Assert.All(dimm.LabelData.AsSpan(512, 128).ToArray(), b => Assert.Equal(0, b));
            Assert.Equal(area.Slice(640, 256).ToArray(), dimm.LabelData.AsSpan(640, 256).ToArray());
        }
    }

    [Fact]
    public void A_label_less_dimm_has_nothing_to_read()
    {
        using var scratch = new ScratchDirectory("vnvdimm-guest-");
        string dump = scratch.File("none.bin");

        (int exit, string stdout, string stderr) = RunConsole([.. Arguments("s2", scratch.Path), "-guest-folder", scratch.Path], $"ndctl read-labels -o {dump} nmem0", "ndctl read-labels nmem7", "ndctl read-labels foo");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("read 0 nmem\nread 0 nmem\n'foo' is not a valid dimm name\n\n usage: ndctl read-labels <nmem0> [<nmem1>..<nmemN>] [-o <filename>]\n", stderr, StringComparison.Ordinal);
        // The usage ends ndctl (status 129) before it counts.
        Assert.Equal(2, stderr.Split("read 0 nmem").Length - 1);
        Assert.Equal(0, new FileInfo(dump).Length);
    }
}
