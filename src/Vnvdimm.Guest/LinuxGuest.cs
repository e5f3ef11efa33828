using Vnvdimm.Guest.Acpi;
using Vnvdimm.Guest.Boot;
using Vnvdimm.Guest.Hardware;
using Vnvdimm.Guest.Kernel;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Guest.Nfit;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest;

/// <summary>
/// The built-in guest: a Linux 6.1-like kernel reduced to what NVDIMMs need. At boot it finds the
/// ACPI tables from the RSDP the firmware handed over, loads the DSDT and SSDTs into an AML
/// interpreter, enumerates ACPI devices by <c>_HID</c> and binds the NFIT driver to ACPI0012. It
/// handles SCIs like ACPICA (GPE0 status bit n runs <c>\_GPE._Enn</c>/<c>_Lnn</c>; Notify goes to the
/// driver of the device). It sees nothing of the host: memory, ports and GPE/SCI only.
/// </summary>
public sealed class LinuxGuest : IDisposable
{
    /// <summary>The NVDIMM root device's hardware id.</summary>
    public const string NvdimmRootHid = "ACPI0012";

    private readonly IGuestHardware _hardware;
    private readonly WorkQueue _events;
    private readonly NdIds _ids = new();
    private readonly List<AcpiNfitDriver> _nfitDrivers = [];
    private readonly Dictionary<string, int> _hidInstances = new(StringComparer.Ordinal);
    private readonly Action _sciHandler;
    private bool _disposed;

    private LinuxGuest(IGuestHardware hardware)
    {
        _hardware = hardware;
        Log = new KernelLog();
        _events = new WorkQueue(Log);
        Acpi = new AmlInterpreter(new AmlHardwarePlatform(hardware), new AmlInterpreterOptions { NotifyHandler = OnNotify });
        _sciHandler = () => _events.Queue(DispatchGpes);
    }

    /// <summary>dmesg.</summary>
    public KernelLog Log { get; }

    /// <summary>The ACPI namespace, with the DSDT and SSDTs loaded.</summary>
    public AmlInterpreter Acpi { get; }

    /// <summary>The tables found through the RSDP.</summary>
    public IReadOnlyList<AcpiTableEntry> Tables { get; private set; } = [];

    /// <summary>Serialises the kernel's work: boot, event handling and commands from user space.</summary>
    public Lock KernelLock { get; } = new();

    /// <summary>Guest-physical memory, as the pmem driver maps a region's SPA range.</summary>
    internal Vnvdimm.Platform.Memory.IGuestMemory Memory => _hardware.Memory;

    /// <summary>The NVDIMM buses registered so far (one per ACPI0012 device with a FIT).</summary>
    public IReadOnlyList<NvdimmBus> NvdimmBuses
    {
        get
        {
            lock (KernelLock)
            {
                return [.. _nfitDrivers.Select(d => d.Bus).OfType<NvdimmBus>()];
            }
        }
    }

    /// <summary>
    /// Boots on <paramref name="hardware"/>. <paramref name="rsdp"/> is the firmware's handoff; without
    /// one the guest scans the BIOS area for the RSDP as a PC guest does.
    /// </summary>
    public static LinuxGuest Boot(IGuestHardware hardware, GuestAddress? rsdp = null)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        var guest = new LinuxGuest(hardware);
        lock (guest.KernelLock)
        {
            guest.BootLocked(rsdp ?? AcpiTableDirectory.FindRsdp(hardware.Memory));
        }
        hardware.Sci += guest._sciHandler;
        // GPE status is level-triggered: an event raised while the guest booted, before its handler
        // was installed, is still pending, and Linux handles it once it enables GPEs.
        if (hardware.Gpe0Status != 0)
        {
            guest._sciHandler();
        }
        return guest;
    }

    /// <summary>
    /// acpi_evaluate_dsm: <c>device._DSM(uuid, revision, function, Package { Buffer (argument) })</c>
    /// (an empty Package without an argument), as the NFIT driver calls it. Null when the device has
    /// no _DSM or its evaluation failed.
    /// </summary>
    public AcpiObject? EvaluateDsm(string device, Guid uuid, ulong revision, ulong function, byte[]? argument)
    {
        ArgumentNullException.ThrowIfNull(device);
        AcpiPackage package = argument is null ? new AcpiPackage() : new AcpiPackage(new AcpiBuffer(argument));
        return AcpiDsm.Evaluate(Acpi, Log, device, uuid, revision, function, package);
    }

    /// <summary>Waits until every event raised so far (SCIs, notifications) has been handled.</summary>
    public void Settle() => _events.Flush();

    /// <summary>Powers off: no more events are taken; the ones in flight finish.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _hardware.Sci -= _sciHandler;
        _events.Flush();
    }

    private void BootLocked(GuestAddress? rsdp)
    {
        if (rsdp is null)
        {
            Log.Write("ACPI: no RSDP found; booting without ACPI");
            return;
        }
        Tables = AcpiTableDirectory.Read(_hardware.Memory, rsdp.Value, Log);
        // ACPICA loads the DSDT first, then the SSDTs in root-table order.
        foreach (AcpiTableEntry table in Tables.Where(t => t.Signature == "DSDT").Concat(Tables.Where(t => t.Signature is "SSDT" or "PSDT")))
        {
            try
            {
                Acpi.LoadTable(table.Bytes);
                Log.Write($"ACPI: {table.Signature} {table.Address} {table.Bytes.Length:X6} ({table.Header.OemId,-6} {table.Header.OemTableId,-8})");
            }
            catch (AmlException e)
            {
                Log.Write($"ACPI Error: failed to load {table.Signature} at {table.Address}: {e.Message}");
            }
        }
        // acpi_hw_clear_acpi_status: stale GPE status does not survive boot.
        _hardware.ClearGpe0Status(ulong.MaxValue);
        EnumerateDevices("\\");
    }

    // acpi_bus_scan: every present Device gets a driver by _HID.
    private void EnumerateDevices(string scope)
    {
        foreach (string path in Acpi.GetChildren(scope))
        {
            if (Acpi.GetObjectType(path) == AcpiObjectType.Device)
            {
                uint status = EvaluateStatus(path);
                bool present = (status & 1) != 0;
                bool functional = (status & 8) != 0;
                if (!present && !functional)
                {
                    continue;
                }
                if (present && ReadHid(path) is { } hid)
                {
                    Bind(path, hid);
                }
            }
            EnumerateDevices(path);
        }
    }

    private void Bind(string path, string hid)
    {
        int instance = _hidInstances.GetValueOrDefault(hid);
        _hidInstances[hid] = instance + 1;
        string name = $"{hid}:{instance:x2}";
        if (hid != NvdimmRootHid)
        {
            return;
        }
        byte[]? nfit = Tables.FirstOrDefault(t => t.Signature == "NFIT")?.Bytes;
        var driver = new AcpiNfitDriver(path, name, Acpi, Log, _ids, nfit);
        _nfitDrivers.Add(driver);
        driver.Add();
    }

    // _STA absent means present, enabled, shown and functional.
    private uint EvaluateStatus(string device)
    {
        if (!Acpi.Exists(device + "._STA"))
        {
            return 0xF;
        }
        try
        {
            return Acpi.Evaluate(device + "._STA") is AcpiInteger status ? (uint)status.Value : 0;
        }
        catch (AmlException e)
        {
            Log.Write($"ACPI: {device}._STA failed: {e.Message}");
            return 0;
        }
    }

    private string? ReadHid(string device)
    {
        if (!Acpi.Exists(device + "._HID"))
        {
            return null;
        }
        try
        {
            return Acpi.Evaluate(device + "._HID") switch
            {
                AcpiString text => text.Value,
                AcpiInteger eisa => DecodeEisaId((uint)eisa.Value),
                _ => null,
            };
        }
        catch (AmlException e)
        {
            Log.Write($"ACPI: {device}._HID failed: {e.Message}");
            return null;
        }
    }

    // A compressed EISA id: three 5-bit letters and four hex digits, stored byte-swapped.
    private static string DecodeEisaId(uint value)
    {
        uint id = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
        char Letter(int shift) => (char)('@' + ((id >> shift) & 0x1F));
        return $"{Letter(26)}{Letter(21)}{Letter(16)}{id & 0xFFFF:X4}";
    }

    // The SCI handler: every pending GPE0 bit runs its _Exx (status cleared first, edge) or
    // _Lxx (cleared after, level) method; a bit without a method is just cleared.
    private void DispatchGpes()
    {
        lock (KernelLock)
        {
            ulong status = _hardware.Gpe0Status;
            for (int bit = 0; bit < 64; bit++)
            {
                ulong mask = 1UL << bit;
                if ((status & mask) == 0)
                {
                    continue;
                }
                string edge = $"\\_GPE._E{bit:X2}";
                string level = $"\\_GPE._L{bit:X2}";
                if (Acpi.Exists(edge))
                {
                    _hardware.ClearGpe0Status(mask);
                    RunGpeMethod(edge);
                }
                else if (Acpi.Exists(level))
                {
                    RunGpeMethod(level);
                    _hardware.ClearGpe0Status(mask);
                }
                else
                {
                    _hardware.ClearGpe0Status(mask);
                    Log.Write($"ACPI: No handler or method for GPE {bit:X2}, disabling event");
                }
            }
        }
    }

    private void RunGpeMethod(string method)
    {
        try
        {
            Acpi.Evaluate(method);
        }
        catch (AmlException e)
        {
            Log.Write($"ACPI Error: Aborting method {method} due to previous error ({e.Message})");
        }
    }

    // Notifications arrive after the evaluation that raised them, on its thread (inside the kernel lock).
    private void OnNotify(string device, uint value)
    {
        lock (KernelLock)
        {
            AcpiNfitDriver? driver = _nfitDrivers.Find(d => d.DevicePath == device);
            if (driver is not null)
            {
                driver.Notify(value);
            }
            else
            {
                Log.Write($"ACPI: {device}: notify 0x{value:x} ignored (no driver)");
            }
        }
    }
}
