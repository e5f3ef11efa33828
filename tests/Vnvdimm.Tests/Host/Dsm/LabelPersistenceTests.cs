using Vnvdimm.Formats.Dsm;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>Where Set Namespace Label Data lands: the backend file for share=on, nowhere else for share=off (research §5.5, §7).</summary>
public sealed class LabelPersistenceTests : IDisposable
{
    private const int FileSize = 4 << 20;
    private const int LabelSize = 0x2_0000;
    private static readonly GuestAddress Page = new(0x10_0000);
    private readonly string _directory = Directory.CreateTempSubdirectory("vnvdimm-dsm-persist-").FullName;
    private readonly List<string> _stderr = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (VirtualMachine Machine, string Path, byte[] Original) Boot(string backendOptions, string deviceOptions = "")
    {
        string path = Path.Combine(_directory, "nv.img");
        byte[] original = DsmRig.Pattern(FileSize, seed: 21);
        File.WriteAllBytes(path, original);
        VirtualMachine machine = VirtualMachine.Create(
            [
                "-machine", "pc,nvdimm=on", "-m", "16M,slots=2,maxmem=1G",
                "-object", $"memory-backend-file,id=m0,mem-path={path},size=4M,{backendOptions}",
                "-device", $"nvdimm,id=nv0,memdev=m0,label-size=128K{deviceOptions}",
            ],
            StderrSink.Collect(_stderr));
        return (machine, path, original);
    }

    private const ushort NvdimmDsmPort = 0x0A18;

    private static uint Call(VirtualMachine machine, uint function, byte[] arguments, out byte[] page)
    {
        page = new byte[DsmPage.Size];
        DsmRequest.Write(page, 1, 1, function, arguments);
        machine.AddressSpace.WriteAll(Page, page);
        machine.Bus.WritePort(NvdimmDsmPort, 4, (uint)Page.Value);
        machine.AddressSpace.ReadExactly(Page, page);
        Assert.True(DsmReply.TryRead(page, out DsmReply reply));
        return reply.Status;
    }

    private static byte[] FileBytes(string path) => File.ReadAllBytes(path);

    [Theory]
    [InlineData("share=on")]
    [InlineData("share=on,pmem=on")]
    public void With_share_on_a_label_write_reaches_the_file_at_the_end_of_the_backend(string options)
    {
        (VirtualMachine machine, string path, byte[] original) = Boot(options);
        using (machine)
        {
            byte[] data = DsmRig.Pattern(4076, seed: 22);
            Assert.Equal(0u, Call(machine, 6, DsmRig.LabelArgs(1000, 4076, data), out _));

            byte[] expected = (byte[])original.Clone();
            data.CopyTo(expected, FileSize - LabelSize + 1000);
            // MAP_SHARED stores are in the page cache, which read() sees at once.
            Assert.Equal(expected, FileBytes(path));
            Assert.DoesNotContain(_stderr, line => line.Contains("failed to sync", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("share=off")]
    [InlineData("share=off,pmem=on")]
    public void With_share_off_a_label_write_is_seen_by_the_guest_but_never_reaches_the_file(string options)
    {
        (VirtualMachine machine, string path, byte[] original) = Boot(options);
        byte[] data = DsmRig.Pattern(4076, seed: 23);
        using (machine)
        {
            Assert.Equal(0u, Call(machine, 6, DsmRig.LabelArgs(0, 4076, data), out _));
            Assert.Equal(0u, Call(machine, 5, DsmRig.LabelArgs(0, 4076), out byte[] page));
            Assert.Equal(data, page.AsSpan(8, 4076).ToArray());
            Assert.Equal(original, FileBytes(path));
        }
        Assert.Equal(original, FileBytes(path));
    }

    [Fact]
    public void A_read_only_backend_refuses_label_writes_with_status_1_and_keeps_the_file()
    {
        (VirtualMachine machine, string path, byte[] original) = Boot("share=on,readonly=on", ",unarmed=on");
        using (machine)
        {
            Assert.Equal(1u, Call(machine, 6, DsmRig.LabelArgs(0, 8, new byte[8]), out _));
            Assert.Equal(0u, Call(machine, 5, DsmRig.LabelArgs(0, 64), out byte[] page));
            Assert.Equal(original.AsSpan(FileSize - LabelSize, 64).ToArray(), page.AsSpan(8, 64).ToArray());
        }
        Assert.Equal(original, FileBytes(path));
    }

    [Fact]
    public void Without_nvdimm_on_there_is_no_mailbox_and_the_port_reads_all_ones()
    {
        using VirtualMachine machine = VirtualMachine.Create(["-m", "16M"], StderrSink.Collect(_stderr));
        Assert.Null(machine.DsmMailbox);
        Assert.Equal(0xFFFF_FFFFu, machine.Bus.ReadPort(NvdimmDsmPort, 4));
    }
}
