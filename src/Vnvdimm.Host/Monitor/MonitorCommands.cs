using System.Runtime.CompilerServices;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Host.Monitor;

/// <summary>
/// The monitor commands that change or read the machine, shared by HMP and every QMP client.
/// One instance per machine; commands run one at a time, as under QEMU's big lock.
/// Errors are <see cref="QmpException"/>s in QEMU's words.
/// </summary>
public sealed class MonitorCommands
{
    private static readonly ConditionalWeakTable<VirtualMachine, MonitorCommands> Instances = new();

    private readonly VirtualMachine _machine;
    private readonly GLibHashOrder _objects = new();
    private readonly HashSet<string> _objectIds = [];

    private MonitorCommands(VirtualMachine machine)
    {
        _machine = machine;
        SyncObjects();
    }

    // /objects as a GLib hash table: insertions and removals in the order they happened, so
    // listings follow QEMU's walk even after object-del. Backends added by other code join here.
    private void SyncObjects()
    {
        foreach (MemoryBackend backend in _machine.Backends)
        {
            if (_objectIds.Add(backend.Id))
            {
                _objects.Insert(backend.Id);
            }
        }
        foreach (string id in _objectIds.Where(id => _machine.FindBackend(id) is null).ToList())
        {
            _objectIds.Remove(id);
            _objects.Remove(id);
        }
    }

    /// <summary>The commands for <paramref name="machine"/> (the same instance for every monitor).</summary>
    public static MonitorCommands For(VirtualMachine machine) => Instances.GetValue(machine, m => new MonitorCommands(m));

    public VirtualMachine Machine => _machine;

    /// <summary>Held while a command runs.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Raised by quit, after the reply.</summary>
    public event Action? QuitRequested;

    public void RequestQuit() => QuitRequested?.Invoke();

    private int _shutdownEmitted;

    /// <summary>
    /// QEMU's SHUTDOWN event (guest, reason): raised once per machine; every QMP session that
    /// finished capabilities negotiation sends it to its client before this returns.
    /// </summary>
    public event Action<bool, string>? Shutdown;

    /// <summary>Emits SHUTDOWN once (later calls do nothing): <paramref name="reason"/> is QEMU's ShutdownCause.</summary>
    public void EmitShutdown(bool guest, string reason)
    {
        if (Interlocked.Exchange(ref _shutdownEmitted, 1) == 0)
        {
            Shutdown?.Invoke(guest, reason);
        }
    }

    /// <summary>
    /// The guest powered the machine off (console poweroff or end of console input): SHUTDOWN
    /// {"guest": true, "reason": "guest-shutdown"} to every QMP client. The caller then ends the program.
    /// </summary>
    public void PowerOff() => EmitShutdown(true, "guest-shutdown");

    /// <summary>A monitor's quit (QMP, HMP, human-monitor-command): SHUTDOWN {"guest": false, "reason": "host-qmp-quit"}.</summary>
    public void EmitQuitShutdown() => EmitShutdown(false, "host-qmp-quit");

    /// <summary>Test seam: called with the command's name before a monitor runs it (a failing command can be injected).</summary>
    internal Action<string>? BeforeCommand { get; set; }

    internal void OnCommand(string name) => BeforeCommand?.Invoke(name);

    /// <summary>object-add / object_add: <paramref name="opts"/> carries qom-type, id and the properties.</summary>
    public void ObjectAdd(QemuOpts opts)
    {
        lock (Gate)
        {
            try
            {
                SyncObjects();
                _machine.AddObject("object_add", opts);
                SyncObjects();
            }
            catch (QemuOptionException e) when (e.Message.StartsWith("Duplicate ID '", StringComparison.Ordinal))
            {
                // At run time the clash is found when the object is added under /objects.
                throw new QmpException($"attempt to add duplicate property '{opts.Id}' to object (type 'container')");
            }
            catch (QemuOptionException e)
            {
                throw new QmpException(e.Message);
            }
        }
    }

    /// <summary>object-del / object_del.</summary>
    public void ObjectDel(string id)
    {
        lock (Gate)
        {
            try
            {
                SyncObjects();
                _machine.RemoveObject(id);
                SyncObjects();
            }
            catch (QemuOptionException e)
            {
                throw new QmpException(e.Message);
            }
        }
    }

    /// <summary>device_add: builds the device as -device does, then hot-plugs it.</summary>
    public MemoryDevice DeviceAdd(QemuOpts opts)
    {
        lock (Gate)
        {
            try
            {
                MemoryDevice device = MemoryDeviceFactory.Create(opts, _machine.FindBackend, id => _machine.MemoryDevices.Any(d => d.Id == id));
                _machine.PlugMemoryDevice(device, hotplug: true);
                return device;
            }
            catch (QemuOptionException e)
            {
                throw Translate(e.Message);
            }
        }
    }

    /// <summary>device_del: NVDIMMs cannot be unplugged in QEMU 7.2, and DIMM unplug needs the guest's eject.</summary>
    public void DeviceDel(string id)
    {
        lock (Gate)
        {
            MemoryDevice? device = _machine.MemoryDevices.FirstOrDefault(d => d.Id == id)
                ?? throw new QmpException(QmpException.DeviceNotFound, $"Device '{id}' not found");
            throw new QmpException(device is NvdimmDevice
                ? "nvdimm device hot unplug is not supported yet."
                : "pc-dimm hot unplug (ACPI eject by the guest) is not available in this version");
        }
    }

    /// <summary>Backends in the order query-memdev and "info memdev" list them (/objects walked, reversed).</summary>
    public IReadOnlyList<MemoryBackend> Memdevs()
    {
        lock (Gate)
        {
            SyncObjects();
            return QomChildOrder.ListingOrder(_objects)
                .Select(id => _machine.Backends.First(b => b.Id == id)).ToList();
        }
    }

    /// <summary>Memory devices sorted by address.</summary>
    public IReadOnlyList<MemoryDevice> MemoryDevices()
    {
        lock (Gate)
        {
            return _machine.MemoryDevices.OrderBy(d => d.Address.Value).ToList();
        }
    }

    /// <summary>query-memory-size-summary: initial RAM and the exposed size of every plugged memory device.</summary>
    public (ulong BaseMemory, ulong PluggedMemory) MemorySizeSummary()
    {
        lock (Gate)
        {
            return (_machine.Configuration.Memory.RamSize, _machine.MemoryDevices.Aggregate(0UL, (sum, d) => sum + d.ExposedSize));
        }
    }

    // qdev_device_add at run time reports some errors differently from -device on the command line.
    private static QmpException Translate(string message)
    {
        const string duplicate = "Duplicate ID '";
        if (message.StartsWith(duplicate, StringComparison.Ordinal) && message.EndsWith("' for device", StringComparison.Ordinal))
        {
            return new QmpException($"Duplicate device ID '{message[duplicate.Length..^"' for device".Length]}'");
        }
        if (message.StartsWith("Device '", StringComparison.Ordinal) && message.EndsWith("' not found", StringComparison.Ordinal))
        {
            return new QmpException(QmpException.DeviceNotFound, message);
        }
        return new QmpException(message);
    }
}
