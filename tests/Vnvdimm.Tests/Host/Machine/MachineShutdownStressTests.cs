using System.Collections.Concurrent;
using System.Diagnostics;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Dsm;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Machine;

/// <summary>
/// Guest memory traffic and _DSM calls on several threads while QMP hot-plugs NVDIMMs and the
/// machine shuts down (issue 10, item 6). A use-after-munmap would kill the test process with
/// SIGSEGV; the test also checks that every mapping is really gone once the threads stop.
/// </summary>
public sealed class MachineShutdownStressTests(ITestOutputHelper output)
{
    private const int Iterations = 1000;
    // Bounded work per vCPU thread: each iteration ends by itself, whatever the scheduler does.
    private const int GuestAccesses = 400;
    private const int DsmCalls = 100;
    private const ulong RamSize = 16 << 20;
    private static readonly GuestAddress DsmPageAddress = new(RamSize - 0x2000);

    [Fact]
    public void Guest_accesses_dsm_calls_and_hotplug_race_dispose_without_a_crash()
    {
        var random = new Random(20240610);
        var stopwatch = Stopwatch.StartNew();
        long accessesAfterDispose = 0;
        int pluggedBeforeDispose = 0;
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            // Dispose after a random number of guest accesses, sometimes before the first.
            (long after, int plugged) = RunOne(iteration, random.Next(0, GuestAccesses));
            accessesAfterDispose += after;
            pluggedBeforeDispose += plugged;
        }
        output.WriteLine($"{Iterations} machines in {stopwatch.Elapsed.TotalSeconds:F1} s; {pluggedBeforeDispose} hot plugs done; {accessesAfterDispose} accesses refused after dispose");
        // The race was real: plugs happened, and guest threads kept running into the disposed machine.
        Assert.True(pluggedBeforeDispose > 0);
        Assert.True(accessesAfterDispose > 0);
    }

    private static (long AccessesAfterDispose, int Plugged) RunOne(int iteration, int disposeAfterAccesses)
    {
        var stderr = new List<string>();
        VirtualMachine machine = VirtualMachine.Create(
            [
                "-machine", "pc,nvdimm=on", "-m", $"{RamSize >> 20}M,slots=4,maxmem=1G",
                "-object", "memory-backend-ram,id=m0,size=4M",
                "-device", "nvdimm,id=nv0,memdev=m0,label-size=128K",
            ],
            StderrSink.Collect(stderr));
        MonitorCommands monitor = MonitorCommands.For(machine);
        var failures = new ConcurrentQueue<Exception>();
        var disposed = new ManualResetEventSlim();
        long guestOps = 0;
        long dsmOps = 0;
        long refusedAfterDispose = 0;
        int plugged = 0;

        void Guard(Action body)
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        }

        // A vCPU copying 4 KiB to and from RAM and every plugged DIMM.
        var guest = new Thread(() => Guard(() =>
        {
            var rng = new Random(iteration * 3 + 1);
            byte[] buffer = new byte[4096];
            for (int n = 0; n < GuestAccesses; n++)
            {
                IReadOnlyList<MemoryDevice> devices = machine.MemoryDevices;
                int target = rng.Next(devices.Count + 1);
                GuestAddress address = target == devices.Count
                    // RAM below the DSM page, which the other vCPU owns.
                    ? new GuestAddress((ulong)rng.NextInt64(0, (long)(DsmPageAddress.Value - 4096)))
                    : new GuestAddress(devices[target].Address.Value + (ulong)rng.NextInt64(0, (long)devices[target].ExposedSize - 4096));
                // Read before the access: one that starts after Dispose returned must be refused.
                bool wasDisposed = disposed.IsSet;
                bool done = rng.Next(2) == 0 ? machine.AddressSpace.TryRead(address, buffer) : machine.AddressSpace.TryWrite(address, buffer);
                if (!done && !wasDisposed && !machine.IsDisposed)
                {
                    throw new InvalidOperationException($"access at {address} failed on a live machine");
                }
                if (wasDisposed)
                {
                    Assert.False(done);
                    Interlocked.Increment(ref refusedAfterDispose);
                }
                Interlocked.Increment(ref guestOps);
            }
        }));

        // A vCPU running _DSM calls through port 0x0A18, as the guest's AML does.
        var dsm = new Thread(() => Guard(() =>
        {
            var rng = new Random(iteration * 3 + 2);
            byte[] page = new byte[DsmPage.Size];
            byte[] arguments = new byte[LabelDataArguments.Size + 256];
            for (int n = 0; n < DsmCalls; n++)
            {
                int slot = rng.Next(3);
                switch (rng.Next(3))
                {
                    case 0:
                        new LabelDataArguments((uint)rng.Next(0, 0x1_0000), 256).WriteTo(arguments);
                        DsmRequest.Write(page, DsmHandle.FromSlot(slot), DsmRequest.Revision1, (uint)NvdimmDeviceFunction.GetNamespaceLabelData, arguments.AsSpan(0, LabelDataArguments.Size));
                        break;
                    case 1:
                        new LabelDataArguments((uint)rng.Next(0, 0x1_0000), 256).WriteTo(arguments);
                        rng.NextBytes(arguments.AsSpan(LabelDataArguments.DataOffset));
                        DsmRequest.Write(page, DsmHandle.FromSlot(slot), DsmRequest.Revision1, (uint)NvdimmDeviceFunction.SetNamespaceLabelData, arguments);
                        break;
                    default:
                        byte[] fit = new byte[ReadFitArguments.Size];
                        new ReadFitArguments(0).WriteTo(fit);
                        DsmRequest.Write(page, DsmHandle.QemuPrivateRoot, DsmRequest.Revision1, (uint)QemuPrivateFunction.ReadFit, fit);
                        break;
                }
                bool wasDisposed = disposed.IsSet;
                bool written = machine.AddressSpace.TryWrite(DsmPageAddress, page);
                machine.Bus.WritePort(NvdimmDsmMailbox.IoBase, 4, (uint)DsmPageAddress.Value);
                bool read = machine.AddressSpace.TryRead(DsmPageAddress, page);
                if (wasDisposed)
                {
                    Assert.False(written || read);
                    Interlocked.Increment(ref refusedAfterDispose);
                }
                else if (read && written && !machine.IsDisposed && !DsmReply.TryRead(page, out _))
                {
                    throw new InvalidOperationException("malformed _DSM reply on a live machine");
                }
                Interlocked.Increment(ref dsmOps);
            }
        }));

        // QMP: object-add + device_add, until the machine refuses.
        var hotplug = new Thread(() => Guard(() =>
        {
            for (int k = 1; k <= 3; k++)
            {
                try
                {
                    monitor.ObjectAdd(QemuOpts.Parse($"memory-backend-ram,id=m{k},size=4M", "qom-type"));
                    monitor.DeviceAdd(QemuOpts.Parse($"nvdimm,id=nv{k},memdev=m{k},label-size=128K", "driver"));
                    Interlocked.Increment(ref plugged);
                }
                catch (QmpException) when (machine.IsDisposed)
                {
                    return;
                }
            }
        }));

        guest.Start();
        dsm.Start();
        hotplug.Start();
        // The machine shuts down (QMP quit, or the last monitor going away) while the threads run.
        YieldUntil(() => Interlocked.Read(ref guestOps) >= disposeAfterAccesses || !guest.IsAlive);
        int pluggedBeforeDispose = Volatile.Read(ref plugged);
        machine.Dispose();
        disposed.Set();
        Assert.True(guest.Join(TimeSpan.FromSeconds(10)) && dsm.Join(TimeSpan.FromSeconds(10)) && hotplug.Join(TimeSpan.FromSeconds(10)), "a thread hung");

        Assert.True(failures.IsEmpty, $"iteration {iteration}: {string.Join(Environment.NewLine, failures)}");
        Assert.Empty(stderr);
        // Every mapping is gone: no lease was leaked, and nothing touches them any more.
        foreach (MemoryDevice device in machine.MemoryDevices)
        {
            Assert.True(device.Backend!.Region!.IsUnmapped, $"{device.Id}'s backend is still mapped");
        }
        Assert.True(machine.MainRam!.Region!.IsUnmapped);
        Assert.False(machine.AddressSpace.TryRead(new GuestAddress(0), new byte[1]));
        disposed.Dispose();
        return (Interlocked.Read(ref refusedAfterDispose), pluggedBeforeDispose);
    }

    // SpinWait.SpinUntil falls back to Sleep(1), which makes 1,000 iterations take far too long.
    private static void YieldUntil(Func<bool> condition)
    {
        long deadline = Environment.TickCount64 + 10_000;
        while (!condition() && Environment.TickCount64 < deadline)
        {
            Thread.Yield();
        }
    }
}
