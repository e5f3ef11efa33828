using Vnvdimm.Formats.Dsm;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Hardware;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Dsm;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Guest.Ospm;

/// <summary>
/// Issue 7 item 5: a DIMM plugged while the guest is part-way through <c>_FIT</c>. The mailbox
/// answers the next chunk with 0x100 (FIT changed), the AML restarts from offset 0, and the guest
/// ends with the complete FIT and every DIMM.
/// </summary>
public sealed class FitRaceTests
{
    private const int ColdDimms = 25;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_dimm_plugged_between_read_fit_chunks_restarts_fit_and_the_guest_ends_with_all_dimms()
    {
        var args = new List<string> { "-machine", "pc,nvdimm=on", "-m", "512M,slots=40,maxmem=40G" };
        for (int i = 0; i < ColdDimms; i++)
        {
            args.AddRange(["-object", $"memory-backend-ram,id=mem{i},size=128M", "-device", $"nvdimm,id=nvdimm{i},memdev=mem{i}"]);
        }
        using VirtualMachine machine = VirtualMachine.Create(args, new StderrSink(_ => { }, _ => { }));
        FirmwareHandoff handoff = BuiltInFirmware.Boot(machine);
        var hardware = new ReadFitHook(new PlatformBusHardware(machine.Bus));
        using LinuxGuest guest = LinuxGuest.Boot(hardware, handoff.Rsdp);
        Assert.Equal(ColdDimms, guest.NvdimmBuses.Single().Dimms.Count);
        // The FIT needs more than one Read FIT chunk, so there is a "part-way".
        Assert.True(new MachineFitSource(machine).CurrentFit.Length > ReadFitArguments.MaxChunk);

        // The first hot plug's _FIT: as soon as its chunk at offset 0 has been answered, a second
        // DIMM is plugged (from another thread, as a monitor would) before the guest asks for the next one.
        hardware.Reset();
        hardware.AfterFirstChunk = () => Assert.True(Task.Run(() => HotPlug(machine, "late")).Wait(Timeout));
        HotPlug(machine, "early");
        await Task.Run(guest.Settle).WaitAsync(Timeout);
        // The second plug's own SCI may still have been queued behind the first: settle again.
        await Task.Run(guest.Settle).WaitAsync(Timeout);

        ReadFitCall[] calls = hardware.Calls;
        Assert.True(hardware.Triggered, "the second plug never happened");
        int changed = Array.FindIndex(calls, c => c.Status == (uint)DsmStatus.FitChanged);
        Assert.True(changed > 0, $"no 0x100 reply in {string.Join(", ", calls)}");
        Assert.NotEqual(0u, calls[changed].Offset);
        // _FIT restarted: a read from offset 0 follows the 0x100, and that pass ran to its empty end chunk.
        Assert.Contains(calls.Skip(changed + 1), c => c.Offset == 0 && c.Status == 0);
        Assert.Equal((0u, 0), (calls[^1].Status, calls[^1].PayloadLength));

        NvdimmDevice[] dimms = [.. machine.Nvdimms];
        Assert.Equal(ColdDimms + 2, dimms.Length);
        var bus = guest.NvdimmBuses.Single();
        Assert.Equal(
            dimms.Select(d => DsmHandle.FromSlot(d.Slot)).Order(),
            bus.Dimms.Select(d => d.Handle).Order());
        Assert.Equal(ColdDimms + 2, bus.Regions.Count);
        Assert.Equal(ColdDimms + 2, TestSsdt.Run(guest, "ndctl list -D").Split("\"dev\":").Length - 1);
        // The FIT the guest read last, chunk by chunk, is the machine's final FIT.
        Assert.Equal(new MachineFitSource(machine).CurrentFit.ToArray(), hardware.LastCompleteFit);
        Assert.Equal(0UL, machine.Bus.Gpe0Status);
    }

    private static void HotPlug(VirtualMachine machine, string name)
    {
        machine.AddObject("object-add", QemuOpts.Parse($"memory-backend-ram,id=mem-{name},size=128M", "qom-type"));
        MemoryDevice device = MemoryDeviceFactory.Create(
            QemuOpts.Parse($"nvdimm,id=nvdimm-{name},memdev=mem-{name}", "driver"),
            machine.FindBackend,
            id => machine.MemoryDevices.Any(d => d.Id == id));
        machine.PlugMemoryDevice(device, hotplug: true);
    }

    internal readonly record struct ReadFitCall(uint Offset, uint Status, int PayloadLength);

    /// <summary>
    /// The guest's platform with a look at the QEMU-private Read FIT calls: the request before the
    /// port write, the reply after it. Runs <see cref="AfterFirstChunk"/> once, right after the
    /// first successful chunk at offset 0 following <see cref="Reset"/>.
    /// </summary>
    private sealed class ReadFitHook(IGuestHardware inner) : IGuestHardware
    {
        private readonly Lock _lock = new();
        private readonly List<ReadFitCall> _calls = [];
        private readonly List<byte> _pass = [];
        private byte[] _lastComplete = [];

        public Action? AfterFirstChunk { get; set; }

        public bool Triggered { get; private set; }

        public ReadFitCall[] Calls
        {
            get
            {
                lock (_lock)
                {
                    return [.. _calls];
                }
            }
        }

        /// <summary>The bytes of the last pass that read from offset 0 to the empty end chunk without a restart.</summary>
        public byte[] LastCompleteFit
        {
            get
            {
                lock (_lock)
                {
                    return _lastComplete;
                }
            }
        }

        public IGuestMemory Memory => inner.Memory;

        public ulong Gpe0Status => inner.Gpe0Status;

        public event Action? Sci
        {
            add => inner.Sci += value;
            remove => inner.Sci -= value;
        }

        public void Reset()
        {
            lock (_lock)
            {
                _calls.Clear();
                Triggered = false;
            }
        }

        public uint ReadPort(ushort port, int size) => inner.ReadPort(port, size);

        public void ClearGpe0Status(ulong mask) => inner.ClearGpe0Status(mask);

        public void WritePort(ushort port, int size, uint value)
        {
            uint? offset = port == NvdimmDsmMailbox.IoBase && size == 4 ? ReadFitOffset(new GuestAddress(value)) : null;
            inner.WritePort(port, size, value);
            if (offset is null)
            {
                return;
            }
            byte[] page = new byte[DsmPage.Size];
            Assert.True(Memory.TryRead(new GuestAddress(value), page));
            Assert.True(DsmReply.TryRead(page, out DsmReply reply));
            bool trigger;
            lock (_lock)
            {
                _calls.Add(new ReadFitCall(offset.Value, reply.Status, reply.Payload.Length));
                if (reply.Status == 0)
                {
                    if (offset == 0)
                    {
                        _pass.Clear();
                    }
                    _pass.AddRange(reply.Payload);
                    if (reply.Payload.Length == 0)
                    {
                        _lastComplete = [.. _pass];
                    }
                }
                trigger = !Triggered && offset == 0 && reply.Status == 0 && AfterFirstChunk is not null;
                Triggered |= trigger;
            }
            if (trigger)
            {
                AfterFirstChunk!();
            }
        }

        private uint? ReadFitOffset(GuestAddress address)
        {
            byte[] page = new byte[DsmPage.Size];
            if (!Memory.TryRead(address, page) || !DsmRequest.TryRead(page, out DsmRequest request)
                || request.Handle != DsmHandle.QemuPrivateRoot || request.Function != (uint)QemuPrivateFunction.ReadFit)
            {
                return null;
            }
            return ReadFitArguments.TryRead(request.Arguments, out ReadFitArguments arguments) ? arguments.Offset : null;
        }
    }
}
