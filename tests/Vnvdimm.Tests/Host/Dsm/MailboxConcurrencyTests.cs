using System.Buffers.Binary;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>Several vCPUs in the mailbox at once, also while NVDIMMs are being plugged.</summary>
public sealed class MailboxConcurrencyTests : IDisposable
{
    private readonly DsmRig _rig = new();

    public void Dispose() => _rig.Dispose();

    /// <summary>One vCPU's own DSM page, as each Linux CPU evaluating _DSM would have under its own lock.</summary>
    private sealed class Vcpu(DsmRig rig, int index)
    {
        private readonly byte[] _page = new byte[DsmPage.Size];
        private readonly GuestAddress _address = new(0x20_0000 + ((ulong)index * DsmPage.Size));

        public ReadOnlySpan<byte> Call(uint handle, uint function, ReadOnlySpan<byte> arguments)
        {
            DsmRequest.Write(_page, handle, 1, function, arguments);
            rig.Memory.WriteAll(_address, _page);
            rig.Bus.WritePort(DsmRig.Port, 4, (uint)_address.Value);
            rig.Memory.ReadExactly(_address, _page);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(_page);
            return _page.AsSpan(4, (int)length - 4);
        }
    }

    [Fact]
    public void Label_reads_never_see_half_of_a_concurrent_label_write()
    {
        const int Iterations = 20_000;
        byte[][] writes = [.. Enumerable.Range(0, 4).Select(k => DsmRig.LabelArgs(0, 4076, Enumerable.Repeat((byte)(k + 1), 4076).ToArray()))];
        byte[] read = DsmRig.LabelArgs(0, 4076);
        _rig.Call(1, 6, writes[0]);
        var errors = new List<string>();

        void Writer(int index)
        {
            var cpu = new Vcpu(_rig, index);
            for (int i = 0; i < Iterations; i++)
            {
                ReadOnlySpan<byte> output = cpu.Call(1, 6, writes[(index + i) % writes.Length]);
                if (BinaryPrimitives.ReadUInt32LittleEndian(output) != 0)
                {
                    lock (errors) { errors.Add($"write status {BinaryPrimitives.ReadUInt32LittleEndian(output)}"); }
                }
            }
        }

        void Reader(int index)
        {
            var cpu = new Vcpu(_rig, index);
            for (int i = 0; i < Iterations; i++)
            {
                ReadOnlySpan<byte> data = cpu.Call(1, 5, read)[4..];
                if (data.Length != 4076 || data.IndexOfAnyExcept(data[0]) >= 0 || data[0] is 0 or > 4)
                {
                    lock (errors) { errors.Add($"torn read at iteration {i}"); }
                    return;
                }
            }
        }

        Thread[] threads = [new(() => Writer(0)), new(() => Writer(1)), new(() => Reader(2)), new(() => Reader(3))];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }
        foreach (Thread thread in threads)
        {
            thread.Join();
        }
        Assert.Empty(errors);
    }

    /// <summary>
    /// vCPUs query slots 4–7 while they are hot-plugged: every reply is either "no DIMM" or the
    /// plugged DIMM, whole, and once a DIMM is seen it stays.
    /// </summary>
    [Fact]
    public void Calls_during_hot_plug_see_each_dimm_either_absent_or_complete()
    {
        using var stop = new CancellationTokenSource();
        var errors = new List<string>();
        int calls = 0;

        void Prober(int index)
        {
            var cpu = new Vcpu(_rig, index);
            bool[] seen = new bool[9];
            while (!stop.IsCancellationRequested)
            {
                for (uint handle = 5; handle <= 8; handle++)
                {
                    uint mask = BinaryPrimitives.ReadUInt32LittleEndian(cpu.Call(handle, 0, default));
                    ReadOnlySpan<byte> size = cpu.Call(handle, 4, default);
                    uint status = BinaryPrimitives.ReadUInt32LittleEndian(size);
                    bool sizeAbsent = status == 2 && size.Length == 4;
                    bool sizePresent = status == 0 && size.Length == 12
                        && BinaryPrimitives.ReadUInt32LittleEndian(size[4..]) == 0x4_0000
                        && BinaryPrimitives.ReadUInt32LittleEndian(size[8..]) == 4076;
                    // Two calls: a plug may land between them, but never backwards.
                    bool ok = mask is 0 or 0x71
                        && (sizeAbsent || sizePresent)
                        && !(mask == 0x71 && sizeAbsent)
                        && !(seen[handle] && (mask != 0x71 || !sizePresent));
                    if (!ok)
                    {
                        lock (errors) { errors.Add($"handle {handle}: mask 0x{mask:x}, status {status}, {size.Length} bytes"); }
                        return;
                    }
                    seen[handle] |= mask == 0x71 || sizePresent;
                    Interlocked.Increment(ref calls);
                }
            }
        }

        Thread[] probers = [new(() => Prober(0)), new(() => Prober(1)), new(() => Prober(2))];
        foreach (Thread thread in probers)
        {
            thread.Start();
        }
        for (int i = 0; i < 4; i++)
        {
            Thread.Sleep(20);
            _rig.HotPlug($"hot{i}", "256K");
        }
        Thread.Sleep(20);
        stop.Cancel();
        foreach (Thread thread in probers)
        {
            thread.Join();
        }
        Assert.Empty(errors);
        Assert.True(calls > 100, $"only {calls} calls ran");
        Assert.All(Enumerable.Range(5, 4), h => Assert.Equal(0x71u, _rig.CallReply((uint)h, 0).Status));
    }
}
