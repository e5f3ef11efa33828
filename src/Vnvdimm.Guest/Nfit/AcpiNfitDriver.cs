using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Guest.Acpi;
using Vnvdimm.Guest.Kernel;
using Vnvdimm.Guest.Nd;

namespace Vnvdimm.Guest.Nfit;

/// <summary>
/// Linux 6.1's NFIT driver (drivers/acpi/nfit/core.c) bound to one ACPI0012 device: finds the FIT
/// (<c>_FIT</c> if it evaluates, else the static NFIT), associates memdevs, control regions and
/// SPA ranges, registers DIMMs (matched to NVxx by <c>_ADR</c>, _DSM family probed through function
/// 0) and regions on an NVDIMM bus, and on Notify 0x80 re-reads <c>_FIT</c> and brings new ones online.
/// </summary>
internal sealed class AcpiNfitDriver
{
    private const uint NotifyUpdate = 0x80;
    private const uint NotifyUncorrectableError = 0x81;
    private const int MaxMappings = 32;

    // ACPI_NFIT_MEM_FAILED_MASK: save, restore, flush failed, not armed, map failed.
    private const NfitMemoryDeviceStateFlags FailedMask = NfitMemoryDeviceStateFlags.SaveFailed | NfitMemoryDeviceStateFlags.RestoreFailed
        | NfitMemoryDeviceStateFlags.FlushFailed | NfitMemoryDeviceStateFlags.NotArmed | NfitMemoryDeviceStateFlags.NotMappedToSpa;

    private readonly AmlInterpreter _aml;
    private readonly KernelLog _log;
    private readonly NdIds _ids;
    private readonly byte[]? _staticNfit;
    private readonly NfitTable _table = new();
    private List<NfitDimm> _dimms = [];

    public AcpiNfitDriver(string devicePath, string deviceName, AmlInterpreter aml, KernelLog log, NdIds ids, byte[]? staticNfit)
    {
        DevicePath = devicePath;
        DeviceName = "nfit " + deviceName;
        _aml = aml;
        _log = log;
        _ids = ids;
        _staticNfit = staticNfit;
    }

    /// <summary>The ACPI0012 device, e.g. <c>\_SB.NVDR</c>.</summary>
    public string DevicePath { get; }

    /// <summary>How Linux prefixes this driver's messages ("nfit ACPI0012:00").</summary>
    public string DeviceName { get; }

    /// <summary>Registered once a FIT was parsed; null before.</summary>
    public NvdimmBus? Bus { get; private set; }

    /// <summary>Platform capabilities of the last FIT (masked).</summary>
    public uint PlatformCapabilities => _table.PlatformCapabilities;

    /// <summary>The driver's per-DIMM state, by handle.</summary>
    public IReadOnlyList<NfitDimm> NfitDimms => _dimms;

    /// <summary>acpi_nfit_add.</summary>
    public void Add()
    {
        if (_staticNfit is null)
        {
            // No NVDIMMs at boot: wait for a Notify(0x80) to evaluate _FIT.
            _log.Device(DeviceName, "failed to find NFIT at startup");
            return;
        }
        AcpiObject? fit;
        bool evaluated;
        try
        {
            fit = _aml.Evaluate(DevicePath + "._FIT");
            evaluated = true;
        }
        catch (AmlException)
        {
            fit = null;
            evaluated = false;
        }
        if (evaluated && fit is not null)
        {
            // A _FIT that evaluates replaces the static table, even when it is empty or not a Buffer.
            if (fit is AcpiBuffer buffer)
            {
                Init(buffer.Span);
            }
            else
            {
                _log.Device(DeviceName, $"invalid type {(int)fit.Type}, ignoring _FIT");
            }
            return;
        }
        int structures = Math.Max(0, _staticNfit.Length - NfitTableLayout.StructuresOffset);
        Init(_staticNfit.AsSpan(Math.Min(NfitTableLayout.StructuresOffset, _staticNfit.Length), structures));
    }

    /// <summary>A Notify on the root device.</summary>
    public void Notify(uint value)
    {
        switch (value)
        {
            case NotifyUpdate:
                UpdateNotify();
                break;
            case NotifyUncorrectableError:
                // Would schedule an address range scrub; QEMU's root _DSM offers none.
                break;
            default:
                break;
        }
    }

    // acpi_nfit_update_notify.
    private void UpdateNotify()
    {
        AcpiObject? fit;
        try
        {
            fit = _aml.Evaluate(DevicePath + "._FIT");
        }
        catch (AmlException)
        {
            _log.Device(DeviceName, "failed to evaluate _FIT");
            return;
        }
        if (fit is AcpiBuffer buffer)
        {
            if (Init(buffer.Span) != 0)
            {
                _log.Device(DeviceName, "failed to merge updated NFIT");
            }
        }
        else
        {
            _log.Device(DeviceName, "Invalid _FIT");
        }
    }

    // acpi_nfit_init: the bus on first use, then parse/merge, associate, register DIMMs, register regions.
    private int Init(ReadOnlySpan<byte> fit)
    {
        if (Bus is null)
        {
            ProbeBusDsm();
            Bus = new NvdimmBus(_ids.NextBus(), "ACPI.NFIT", _ids, _log);
        }
        int rc = _table.Merge(fit, _log, DeviceName);
        if (rc == 0)
        {
            rc = MemInit();
        }
        if (rc == 0)
        {
            RegisterDimms();
            rc = RegisterRegions();
        }
        return rc;
    }

    // acpi_nfit_init_dsms: the root device's ARS and Intel bus functions (QEMU offers none).
    private void ProbeBusDsm()
    {
        for (int function = 1; function < 64; function++)
        {
            if (((DsmFamilies.BusFunctions >> function) & 1) != 0)
            {
                AcpiDsm.Check(_aml, _log, DevicePath, DsmFamilies.Bus, 1, 1UL << function);
            }
            if (((DsmFamilies.IntelBusFunctions >> function) & 1) != 0)
            {
                AcpiDsm.Check(_aml, _log, DevicePath, DsmFamilies.IntelBus, 1, 1UL << function);
            }
        }
    }

    // nfit_mem_init: each PM (or DCR) range's memdevs make or extend a DIMM; then the unmapped ones.
    private int MemInit()
    {
        foreach (NfitSpa spa in _table.Spas)
        {
            int rc = MemInit(spa);
            if (rc != 0)
            {
                return rc;
            }
        }
        int unmapped = MemInit(null);
        _dimms = [.. _dimms.OrderBy(d => d.Handle)];
        return unmapped;
    }

    private int MemInit(NfitSpa? spa)
    {
        NfitSpaType type = spa?.Type ?? NfitSpaType.Volatile;
        if (spa is not null && type is not (NfitSpaType.ControlRegion or NfitSpaType.PersistentMemory))
        {
            return 0;
        }
        foreach (NfitMemdev memdev in _table.Memdevs)
        {
            ushort rangeIndex = memdev.Map.SpaRangeIndex;
            if ((spa is not null && rangeIndex != spa.Range.RangeIndex) || (spa is null && rangeIndex != 0))
            {
                continue;
            }
            uint handle = memdev.Map.DeviceHandle;
            NfitDimm? dimm = _dimms.Find(d => d.Handle == handle);
            if (dimm is null)
            {
                dimm = new NfitDimm(handle, _aml, _log);
                _dimms.Insert(0, dimm);
            }
            ushort dcrIndex = memdev.Map.ControlRegionIndex;
            if (_table.Dcrs.Find(d => d.Region.Index == dcrIndex) is { } dcr
                && (dimm.Dcr is null || (dimm.Dcr.Region.BlockControlWindowCount == 0 && dcr.Region.BlockControlWindowCount != 0)))
            {
                dimm.Dcr = dcr;
            }
            dimm.Flush = _table.FlushHints.Find(f => f.Key == handle) ?? dimm.Flush;
            if (dcrIndex != 0 && dimm.Dcr is null)
            {
                _log.Device(DeviceName, $"SPA {spa?.Range.RangeIndex ?? 0} missing DCR {dcrIndex}");
                return -Errno.ENODEV;
            }
            if (type == NfitSpaType.PersistentMemory)
            {
                dimm.MemdevPmem = memdev;
            }
            else
            {
                dimm.MemdevDcr = memdev;
            }
        }
        return 0;
    }

    // acpi_nfit_register_dimms: only DIMMs not registered yet; a DIMM without an NVxx device is skipped.
    private void RegisterDimms()
    {
        NvdimmBus bus = Bus!;
        foreach (NfitDimm dimm in _dimms)
        {
            if (bus.FindDimm(dimm.Handle) is not null)
            {
                continue;
            }
            NfitMemoryDeviceStateFlags flags = NfitMemoryDeviceStateFlags.None;
            foreach (NfitMemdev memdev in _table.Memdevs)
            {
                if (memdev.Map.DeviceHandle == dimm.Handle)
                {
                    flags |= memdev.Map.StateFlags;
                }
            }
            if (!AddDimm(dimm))
            {
                continue;
            }
            ulong commands = 1UL << (int)NdCommand.Call;
            if (dimm.Family == DsmFamily.Intel)
            {
                commands |= dimm.DsmMask & DsmFamilies.StandardCommands;
            }
            if (dimm.UsesLabelMethods)
            {
                commands |= (1UL << (int)NdCommand.GetConfigSize) | (1UL << (int)NdCommand.GetConfigData);
            }
            if (dimm.UsesLabelWriteMethod)
            {
                commands |= 1UL << (int)NdCommand.SetConfigData;
            }
            NfitMemdev? primary = dimm.Memdev;
            dimm.Nvdimm = bus.AddDimm(dimm.Handle, primary?.Map.PhysicalId ?? 0, dimm.UniqueId, flags, commands, dimm);
            if ((flags & FailedMask) != 0)
            {
                _log.Device(DeviceName, $"Error found in NVDIMM {dimm.Nvdimm.Name} flags:{FlagNames(flags)}");
            }
        }
    }

    private static string FlagNames(NfitMemoryDeviceStateFlags flags) =>
        ((flags & NfitMemoryDeviceStateFlags.SaveFailed) != 0 ? " save_fail" : "")
        + ((flags & NfitMemoryDeviceStateFlags.RestoreFailed) != 0 ? " restore_fail" : "")
        + ((flags & NfitMemoryDeviceStateFlags.FlushFailed) != 0 ? " flush_fail" : "")
        + ((flags & NfitMemoryDeviceStateFlags.NotArmed) != 0 ? " not_armed" : "")
        + ((flags & NfitMemoryDeviceStateFlags.NotMappedToSpa) != 0 ? " map_fail" : "");

    // acpi_nfit_add_dimm: find NVxx by _ADR, then the lowest _DSM family whose function 0 answers,
    // the functions it confirms, and whether the _LSx methods take over the label commands.
    private bool AddDimm(NfitDimm dimm)
    {
        dimm.AcpiPath = FindChildByAddress(dimm.Handle);
        if (dimm.AcpiPath is null)
        {
            _log.Device(DeviceName, $"no ACPI.NFIT device with _ADR 0x{dimm.Handle:x}, disabling...");
            return false;
        }
        DsmFamily family = DsmFamily.None;
        foreach ((DsmFamily candidate, Guid uuid) in DsmFamilies.DimmFamilies)
        {
            if (AcpiDsm.Check(_aml, _log, dimm.AcpiPath, uuid, 1, 1) && family == DsmFamily.None)
            {
                family = candidate;
            }
        }
        dimm.Family = family;
        if (family == DsmFamily.None)
        {
            // DSMs are optional: the DIMM registers, label-less.
            return true;
        }
        ulong allowed = DsmFamilies.AllowList(family);
        Guid familyUuid = DsmFamilies.UuidOf(family);
        for (int function = 1; function < 64; function++)
        {
            if (((allowed >> function) & 1) != 0
                && AcpiDsm.Check(_aml, _log, dimm.AcpiPath, familyUuid, DsmFamilies.Revision(family, function), 1UL << function))
            {
                dimm.DsmMask |= 1UL << function;
            }
        }
        // The Intel family always has the label functions on its allow-list, so it never uses _LSx.
        const ulong labelFunctions = (1UL << 4) | (1UL << 5) | (1UL << 6);
        if (family != DsmFamily.Intel || (allowed & labelFunctions) != labelFunctions)
        {
            dimm.UsesLabelMethods = _aml.Exists(dimm.AcpiPath + "._LSI") && _aml.Exists(dimm.AcpiPath + "._LSR");
            dimm.UsesLabelWriteMethod = dimm.UsesLabelMethods && _aml.Exists(dimm.AcpiPath + "._LSW");
            if (!dimm.UsesLabelWriteMethod)
            {
                // Read-only label configurations stay label-less (unless nfit.force_labels).
                dimm.UsesLabelMethods = false;
            }
        }
        return true;
    }

    // acpi_find_child_device: a child device of the root whose _ADR equals the handle.
    private string? FindChildByAddress(uint handle)
    {
        foreach (string child in _aml.GetChildren(DevicePath))
        {
            if (_aml.GetObjectType(child) != AcpiObjectType.Device || !_aml.Exists(child + "._ADR"))
            {
                continue;
            }
            try
            {
                if (_aml.Evaluate(child + "._ADR") is AcpiInteger address && address.Value == handle)
                {
                    return child;
                }
            }
            catch (AmlException)
            {
                // A broken _ADR matches nothing.
            }
        }
        return null;
    }

    // acpi_nfit_register_regions: SPA order; regions already registered are kept.
    private int RegisterRegions()
    {
        foreach (NfitSpa spa in _table.Spas)
        {
            int rc = spa.Type switch
            {
                NfitSpaType.Volatile or NfitSpaType.PersistentMemory or NfitSpaType.ControlRegion
                    or NfitSpaType.VolatileVirtualDisk or NfitSpaType.VolatileVirtualCd
                    or NfitSpaType.PersistentVirtualDisk or NfitSpaType.PersistentVirtualCd => RegisterRegion(spa),
                _ => 0,
            };
            if (rc != 0)
            {
                return rc;
            }
        }
        return 0;
    }

    private int RegisterRegion(NfitSpa spa)
    {
        if (spa.Region is not null)
        {
            return 0;
        }
        NfitSpaRange range = spa.Range;
        if (range.RangeIndex == 0 && !NfitSpaTypes.IsVirtual(spa.Type))
        {
            return 0;
        }
        var mappings = new List<(NfitMemdev Memdev, Nvdimm Dimm)>();
        foreach (NfitMemdev memdev in _table.Memdevs)
        {
            if (memdev.Map.SpaRangeIndex == 0 || memdev.Map.SpaRangeIndex != range.RangeIndex)
            {
                continue;
            }
            if (mappings.Count >= MaxMappings)
            {
                _log.Device(DeviceName, $"spa{range.RangeIndex} exceeds max mappings {MaxMappings}");
                return Failed(spa, -Errno.ENXIO);
            }
            Nvdimm? dimm = Bus!.FindDimm(memdev.Map.DeviceHandle);
            if (dimm is null)
            {
                _log.Device(DeviceName, $"spa{range.RangeIndex} dimm: 0x{memdev.Map.DeviceHandle:x} not found");
                return Failed(spa, -Errno.ENODEV);
            }
            mappings.Add((memdev, dimm));
        }

        NdInterleaveSet? set = null;
        var positions = new int[mappings.Count];
        if (spa.Type == NfitSpaType.PersistentMemory)
        {
            var members = new List<InterleaveSetMember>();
            foreach ((NfitMemdev memdev, Nvdimm dimm) in mappings)
            {
                NfitDcr? dcr = _dimms.Find(d => d.Handle == dimm.Handle)?.Dcr;
                if (dcr is null)
                {
                    _log.Device(DeviceName, "acpi_nfit_init_interleave_set: failed to find DCR");
                    return Failed(spa, -Errno.ENODEV);
                }
                NfitControlRegion r = dcr.Region;
                members.Add(new InterleaveSetMember(memdev.Map.RegionOffset, r.SerialNumber, r.VendorId, r.ManufacturingDate, r.ManufacturingLocation));
            }
            set = new NdInterleaveSet(InterleaveSetCookie.ComputeV11(members), InterleaveSetCookie.ComputeV12(members), InterleaveSetCookie.ComputeAlternate(members));
            // A mapping's position is its rank when the v1.2 records are sorted by region offset.
            List<InterleaveSetMember> sorted = [.. members.OrderBy(m => m.RegionOffset)];
            for (int i = 0; i < members.Count; i++)
            {
                InterleaveSetMember m = members[i];
                positions[i] = sorted.FindIndex(s => s.Serial == m.Serial && s.VendorId == m.VendorId
                    && s.ManufacturingDate == m.ManufacturingDate && s.ManufacturingLocation == m.ManufacturingLocation);
            }
        }

        NdRegionType? regionType = spa.Type switch
        {
            NfitSpaType.PersistentMemory or NfitSpaType.PersistentVirtualDisk or NfitSpaType.PersistentVirtualCd => NdRegionType.Pmem,
            NfitSpaType.Volatile or NfitSpaType.VolatileVirtualDisk or NfitSpaType.VolatileVirtualCd => NdRegionType.Volatile,
            // Control regions only served the BLK driver, which Linux no longer has.
            _ => null,
        };
        if (regionType is null)
        {
            return 0;
        }
        uint caps = _table.PlatformCapabilities;
        NdPersistenceDomain persistence = (caps & (uint)NfitPlatformCapabilityFlags.CpuCacheFlush) != 0 ? NdPersistenceDomain.CpuCache
            : (caps & (uint)NfitPlatformCapabilityFlags.MemoryControllerFlush) != 0 ? NdPersistenceDomain.MemoryController
            : NdPersistenceDomain.Unknown;
        // QEMU's proximity domains are its NUMA node ids; without one Linux guesses from the address (node 0 here).
        int node = (range.Flags & NfitSpaRangeFlags.ProximityDomainValid) != 0 ? (int)range.ProximityDomain : 0;
        var descriptor = new NdRegionDescriptor(
            regionType.Value,
            range.RangeIndex,
            range.RangeBase,
            range.RangeLength,
            [.. mappings.Select((m, i) => new NdMapping(m.Dimm, m.Memdev.Map.PhysicalAddressRegionBase, m.Memdev.Map.RegionSize, positions[i]))],
            persistence,
            node,
            node,
            set);
        spa.Region = Bus!.AddRegion(descriptor, regionType == NdRegionType.Pmem ? "nvdimm_pmem_region_create" : "nvdimm_volatile_region_create");
        return spa.Region is null ? Failed(spa, -Errno.ENOMEM) : 0;
    }

    private int Failed(NfitSpa spa, int rc)
    {
        _log.Device(DeviceName, $"failed to register spa range {spa.Range.RangeIndex}");
        return rc;
    }
}
