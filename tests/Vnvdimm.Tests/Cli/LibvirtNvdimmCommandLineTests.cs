using System.Text.Json;
using Vnvdimm.Cli;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Check;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// libvirt 9.0's NVDIMM command lines (tests/Fixtures/libvirt-9.0, which qemu-system-x86_64 7.2
/// starts with): `vnvdimm check --argv-file` reads them whole (libvirt's chardev monitor, secret
/// object, balloon, sandbox… noted and skipped) and the machine builds their modelled part, with
/// the same NVDIMM geometry.
/// </summary>
public sealed class LibvirtNvdimmCommandLineTests : IDisposable
{
    private readonly ScratchDirectory scratch = new("vnvdimm-libvirt-");

    public void Dispose() => scratch.Dispose();

    // The file libvirt would point mem-path at, sized as its "size" (sparse).
    private string Prepare(string fixture, out string backend)
    {
        string text = File.ReadAllText(ReferenceData.Fixture("libvirt-9.0", fixture));
        backend = scratch.File("nvdimm");
        long size = text.Contains("\"size\":268566528", StringComparison.Ordinal) ? 268566528 : 268435456;
        using (var stream = File.Create(backend))
        {
            stream.SetLength(size);
        }
        string argv = scratch.File(fixture);
        File.WriteAllText(argv, text.Replace("/tmp/nvdimm", backend, StringComparison.Ordinal));
        return argv;
    }

    [Theory]
    // <label><size>128</size>, <alignsize>2048</alignsize>, <pmem/>, access='shared'.
    [InlineData("nvdimm-label-align-pmem.args", 131072, false, 1)]
    // <readonly/>: the backend readonly, the device unarmed.
    [InlineData("nvdimm-readonly.args", 131072, true, 2)]
    // access='private', no label.
    [InlineData("nvdimm-private.args", 0, false, 3)]
    public void Check_reads_the_whole_line_and_the_machine_builds_it(string fixture, long labelSize, bool unarmed, int reasons)
    {
        string argv = Prepare(fixture, out string backend);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int exit = VnvdimmProgram.Run(["check", "--json", "--argv-file", argv], new StringReader(""), stdout, stderr);

        Assert.Equal((2, string.Empty), (exit, stderr.ToString()));
        JsonElement root = JsonDocument.Parse(stdout.ToString()).RootElement;
        JsonElement device = Assert.Single(root.GetProperty("devices").EnumerateArray());
        Assert.Equal(("nvdimm0", "not-guaranteed", labelSize, unarmed), (device.GetProperty("id").GetString(), device.GetProperty("verdict").GetString(),
            device.GetProperty("label_size").GetInt64(), device.GetProperty("unarmed").GetBoolean()));
        Assert.Equal(reasons, device.GetProperty("reasons").GetArrayLength());
        string[] skipped = [.. root.GetProperty("skipped").EnumerateArray().Select(s => s.GetString()!.Split(' ')[1].TrimEnd(':'))];
        Assert.Equal(["-name", "-object", "-overcommit", "-uuid", "-display", "-no-user-config", "-chardev", "-mon", "-rtc", "-boot", "-audiodev", "-device", "-sandbox", "-msg"], skipped);

        // The machine on the modelled part: the same placement and carving.
        (IReadOnlyList<string> modelled, _) = CheckArguments.Filter(CheckArguments.ParseArgvFile(File.ReadAllText(argv)));
        var lines = new List<string>();
        using VirtualMachine machine = VirtualMachine.Create(modelled, StderrSink.Collect(lines, "vnvdimm"));
        NvdimmDevice nvdimm = Assert.Single(machine.Nvdimms);
        Assert.Equal(("nvdimm0", (ulong)labelSize, unarmed), (nvdimm.Id, nvdimm.LabelSize, nvdimm.Unarmed));
        Assert.Equal(device.GetProperty("pmem_size").GetUInt64(), nvdimm.ExposedSize);
        Assert.Equal(device.GetProperty("address").GetUInt64(), nvdimm.Address.Value);
        Assert.True(File.Exists(backend));
    }
}
