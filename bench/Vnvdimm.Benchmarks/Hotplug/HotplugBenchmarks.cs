using BenchmarkDotNet.Attributes;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Hardware;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Host.Machine;

namespace Vnvdimm.Benchmarks.Hotplug;

/// <summary>
/// Issue 7 item 6: device_add → region visible in the guest. Each invocation object-adds a 128 MiB
/// memory-backend-ram and device_adds an NVDIMM on it (hot), then waits for the booted guest to
/// handle GPE 4 (<c>_E04</c> → Notify 0x80 → <c>_FIT</c> re-read) and checks the new region is
/// there. Baseline: the same plug with no guest (host side only). Slots run out, so each
/// iteration gets a fresh machine with one cold-plugged NVDIMM. Goal: at most 5 ms.
/// </summary>
[MemoryDiagnoser]
public class HotplugBenchmarks
{
    private const int PlugsPerIteration = 32;

    private VirtualMachine _machine = null!;
    private LinuxGuest? _guest;
    private int _next;

    [IterationSetup(Target = nameof(HostOnly))]
    public void SetupHostOnly() => CreateMachine(withGuest: false);

    [IterationSetup(Target = nameof(DeviceAddToRegionVisible))]
    public void SetupWithGuest() => CreateMachine(withGuest: true);

    [IterationCleanup]
    public void Cleanup()
    {
        _guest?.Dispose();
        _guest = null;
        _machine.Dispose();
    }

    /// <summary>object-add + device_add (FIT rebuilt and marked dirty, GPE0 bit 4 and SCI raised), nobody listening.</summary>
    [Benchmark(Baseline = true)]
    [InvocationCount(PlugsPerIteration)]
    public void HostOnly() => Plug();

    /// <summary>The same plug, then until the guest has brought the new region online.</summary>
    [Benchmark]
    [InvocationCount(PlugsPerIteration)]
    public void DeviceAddToRegionVisible()
    {
        Plug();
        LinuxGuest guest = _guest!;
        guest.Settle();
        if (guest.NvdimmBuses.Single().Regions.Count != _next + 1)
        {
            throw new InvalidOperationException($"the guest does not show region {_next + 1} after the plug");
        }
    }

    private void Plug()
    {
        int n = ++_next;
        _machine.AddObject("object-add", QemuOpts.Parse($"memory-backend-ram,id=hp{n},size=128M", "qom-type"));
        MemoryDevice device = MemoryDeviceFactory.Create(
            QemuOpts.Parse($"nvdimm,id=hpdimm{n},memdev=hp{n}", "driver"),
            _machine.FindBackend,
            id => _machine.MemoryDevices.Any(d => d.Id == id));
        _machine.PlugMemoryDevice(device, hotplug: true);
    }

    private void CreateMachine(bool withGuest)
    {
        _next = 0;
        _machine = VirtualMachine.Create(
            [
                "-machine", "pc,nvdimm=on", "-m", "512M,slots=256,maxmem=64G",
                "-object", "memory-backend-ram,id=mem0,size=128M",
                "-device", "nvdimm,id=nvdimm0,memdev=mem0",
            ],
            StderrSink.Console("vnvdimm-bench"));
        FirmwareHandoff handoff = BuiltInFirmware.Boot(_machine);
        _guest = withGuest ? LinuxGuest.Boot(new PlatformBusHardware(_machine.Bus), handoff.Rsdp) : null;
    }
}
