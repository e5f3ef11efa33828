using BenchmarkDotNet.Attributes;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Hardware;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Dsm;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Benchmarks.Guest;

/// <summary>
/// _DSM Get Namespace Label Data of 4076 bytes (the max transfer) on the s1 machine: through the
/// guest's AML interpreter running vnvdimm's SSDT (NCAL: fields on the DSM page, the port write,
/// the reply turned into a Buffer), through the guest kernel's Get Config Data command (which adds
/// the NFIT driver's checks and copy), against the mailbox called directly with the same page.
/// Goal: at least 20,000 interpreter calls per second.
/// </summary>
[MemoryDiagnoser]
public class GuestDsmBenchmarks
{
    private const int Transfer = LabelDataArguments.MaxTransfer;
    private static readonly Guid IntelDsm = DsmUuid.NvdimmDevice;

    private readonly byte[] _argument = new byte[LabelDataArguments.Size];
    private readonly byte[] _request = new byte[DsmPage.ArgumentsOffset + LabelDataArguments.Size];
    private readonly byte[] _reply = new byte[DsmReply.LengthFor(Transfer)];
    private readonly byte[] _labels = new byte[Transfer];
    private string _directory = null!;
    private VirtualMachine _machine = null!;
    private GuestAddress _page;
    private LinuxGuest _guest = null!;
    private Nvdimm _guestDimm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("vnvdimm-bench-").FullName;
        _machine = VirtualMachine.Create(
            [
                "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
                "-object", $"memory-backend-file,id=mem1,share=on,mem-path={Path.Combine(_directory, "s1a.img")},size=256M",
                "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
            ],
            StderrSink.Console("vnvdimm-bench"));
        NvdimmDevice dimm = _machine.Nvdimms.Single();
        dimm.Backend!.Access(dimm.LabelAreaOffset, (int)dimm.LabelSize, new Random(4), static (span, random) => random.NextBytes(span));
        FirmwareHandoff handoff = BuiltInFirmware.Boot(_machine);
        _page = handoff.Tables.DsmPage!.Value;

        _guest = LinuxGuest.Boot(new PlatformBusHardware(_machine.Bus), handoff.Rsdp);
        _guestDimm = _guest.NvdimmBuses[0].Dimms[0];

        new LabelDataArguments(1000, Transfer).WriteTo(_argument);
        byte[] page = new byte[DsmPage.Size];
        DsmRequest.Write(page, DsmHandle.FromSlot(dimm.Slot), DsmRequest.Revision1, (uint)NvdimmDeviceFunction.GetNamespaceLabelData, _argument);
        page.AsSpan(0, _request.Length).CopyTo(_request);

        byte[] expected = new byte[Transfer];
        dimm.Backend.Read(dimm.LabelAreaOffset + 1000, expected);
        if (MailboxCall() != 0 || !_reply.AsSpan(DsmPage.PayloadOffset).SequenceEqual(expected)
            || (InterpreterDsm() as Vnvdimm.Guest.Acpi.AcpiBuffer)?.Length != 4 + Transfer || GuestGetConfigData() != 0 || !_labels.AsSpan().SequenceEqual(expected))
        {
            throw new InvalidOperationException("A call did not return the label bytes.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _guest.Dispose();
        _machine.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>What the AML does minus the AML: request into the page, port write, reply out. Returns the status.</summary>
    [Benchmark(Baseline = true)]
    public uint MailboxCall()
    {
        IGuestMemory memory = _machine.Bus.Memory;
        memory.TryWrite(_page, _request);
        _machine.Bus.WritePort(NvdimmDsmMailbox.IoBase, 4, (uint)_page.Value);
        memory.TryRead(_page, _reply);
        return DsmReply.TryRead(_reply, out DsmReply reply) ? reply.Status : uint.MaxValue;
    }

    /// <summary>\_SB.NVDR.NV00._DSM(Intel UUID, 1, 5, Package { Buffer { offset, length } }): a Buffer of status and 4076 bytes.</summary>
    [Benchmark]
    public object? InterpreterDsm() =>
        _guest.EvaluateDsm(@"\_SB.NVDR.NV00", IntelDsm, 1, (ulong)NvdimmDeviceFunction.GetNamespaceLabelData, _argument);

    /// <summary>The guest kernel's ND_CMD_GET_CONFIG_DATA (the same _DSM, plus status translation and copy).</summary>
    [Benchmark]
    public int GuestGetConfigData() => _guestDimm.GetConfigData(1000, _labels);
}
