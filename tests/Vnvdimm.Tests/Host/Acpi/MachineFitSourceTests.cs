using System.Buffers.Binary;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Memory;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Acpi;

/// <summary>The machine's mailbox serves, through Read FIT, exactly the structures of QEMU's NFIT.</summary>
public sealed class MachineFitSourceTests
{
    [Theory]
    [InlineData("s1")]
    [InlineData("s2")]
    [InlineData("s3")]
    [InlineData("qom5")]
    [InlineData("s4")]
    [InlineData("lab")]
    public void ReadFitThroughThePortEqualsTheReferenceNfitBody(string referenceCase)
    {
        string caseDir = ReferenceData.Case(referenceCase);
        using var scratch = new ScratchDirectory();
        string args = File.ReadAllText(Path.Combine(caseDir, "qemu-args.txt")).Split("   ")[0].Trim();
        // Backend files go to the scratch folder: rewrite each mem-path to an absolute path there.
        string[] argv = args.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => a.Replace("mem-path=", $"mem-path={scratch.Path}/")).ToArray();
        using VirtualMachine machine = VirtualMachine.Create(argv, StderrSink.Collect(new List<string>()));

        byte[] nfit = File.ReadAllBytes(Path.Combine(caseDir, "NFIT"));
        byte[] expectedFit = nfit[40..];
        var page = new GuestAddress(0x10_0000);
        var fit = new List<byte>();
        while (true)
        {
            byte[] request = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(0), 0x10000); // QEMU-private root handle
            BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), 1); // Read FIT
            BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(12), (uint)fit.Count);
            machine.AddressSpace.WriteAll(page, request);
            machine.Bus.WritePort(0x0A18, 4, (uint)page.Value);

            uint length = machine.AddressSpace.ReadUInt32LittleEndian(page);
            uint status = machine.AddressSpace.ReadUInt32LittleEndian(new GuestAddress(page.Value + 4));
            Assert.Equal(0u, status);
            if (length == 8)
            {
                break;
            }
            byte[] chunk = new byte[length - 8];
            machine.AddressSpace.ReadExactly(new GuestAddress(page.Value + 8), chunk);
            fit.AddRange(chunk);
        }
        Assert.Equal(expectedFit, fit.ToArray());
    }
}
