using BenchmarkDotNet.Attributes;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Dsm;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Bus;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Benchmarks.Dsm;

/// <summary>
/// One Get Namespace Label Data call of the maximum 4076 bytes as a guest makes it: write the
/// request into the DSM page, trap with the 32-bit port write, read the reply; against a plain
/// copy of the same 4076 label bytes. Goal: at least 200,000 calls per second.
/// </summary>
[MemoryDiagnoser]
public class DsmMailboxBenchmarks
{
    private const int Transfer = LabelDataArguments.MaxTransfer;
    private static readonly GuestAddress Page = new(0x07FF_E000); // where SeaBIOS puts it with 128 MiB

    private VirtualMachine _machine = null!;
    private PlatformBus _bus = null!;
    private IGuestMemory _memory = null!;
    private MemoryBackend _backend = null!;
    private ulong _labelOffset;
    private readonly byte[] _request = new byte[DsmPage.ArgumentsOffset + LabelDataArguments.Size];
    private readonly byte[] _reply = new byte[DsmReply.LengthFor(Transfer)];
    private readonly byte[] _copy = new byte[Transfer];

    [GlobalSetup]
    public void Setup()
    {
        _machine = VirtualMachine.Create(
            [
                "-machine", "pc,nvdimm=on", "-m", "128M,slots=2,maxmem=1G",
                "-object", "memory-backend-ram,id=m0,size=16M",
                "-device", "nvdimm,id=nv0,memdev=m0,label-size=128K",
            ],
            StderrSink.Console("vnvdimm-bench"));
        _bus = _machine.Bus;
        _memory = _bus.Memory;
        NvdimmDevice dimm = _machine.Nvdimms.Single();
        _backend = dimm.Backend!;
        _labelOffset = dimm.LabelAreaOffset + 1000;
        _backend.Access(dimm.LabelAreaOffset, (int)dimm.LabelSize, new Random(4), static (span, random) => random.NextBytes(span));

        byte[] page = new byte[DsmPage.Size];
        DsmRequest.Write(page, DsmHandle.FromSlot(dimm.Slot), DsmRequest.Revision1, (uint)NvdimmDeviceFunction.GetNamespaceLabelData, default);
        new LabelDataArguments(1000, Transfer).WriteTo(page.AsSpan(DsmPage.ArgumentsOffset));
        page.AsSpan(0, _request.Length).CopyTo(_request);
        if (DsmMailboxCall() != 0 || !_reply.AsSpan(DsmPage.PayloadOffset).SequenceEqual(Label()))
        {
            throw new InvalidOperationException("The mailbox did not return the label bytes.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _machine.Dispose();

    [Benchmark(Baseline = true)]
    public byte PlainCopy()
    {
        _backend.Read(_labelOffset, _copy.AsSpan(0, Transfer));
        return _copy[0];
    }

    private byte[] Label()
    {
        byte[] label = new byte[Transfer];
        _backend.Read(_labelOffset, label);
        return label;
    }

    /// <summary>Returns the reply's status.</summary>
    [Benchmark]
    public uint DsmMailboxCall()
    {
        // The AML stores HDLE, REVS, FUNC and the two Arg3 words, then writes NTFI.
        _memory.TryWrite(Page, _request);
        _bus.WritePort(NvdimmDsmMailbox.IoBase, 4, (uint)Page.Value);
        _memory.TryRead(Page, _reply);
        return DsmReply.TryRead(_reply, out DsmReply reply) ? reply.Status : uint.MaxValue;
    }
}
