using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Nfit;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// Builds the NFIT as QEMU 7.2 does (hw/acpi/nvdimm.c): per NVDIMM an SPA Range, a Memory Device
/// to SPA Range Map and a Control Region, then one Platform Capabilities structure when
/// <c>nvdimm-persistence</c> is set. QEMU lists devices in QOM hash-table order; we use slot order.
/// </summary>
public static class NfitBuilder
{
    /// <summary>Bytes of structures per NVDIMM.</summary>
    public const int StructuresPerDeviceSize = NfitSpaRangeLayout.Size + NfitMemoryDeviceMapLayout.Size + NfitControlRegionLayout.Size;

    // QEMU's fixed device identity: Intel vendor, device 1, revision 1, byte-addressable
    // non-energy-backed interface (JEDEC 0x0301).
    private const ushort VendorId = 0x8086;
    private const ushort DeviceId = 0x0001;
    private const ushort RevisionId = 0x0001;
    private const ushort RegionFormatInterfaceCode = 0x0301;

    /// <summary>Size of the FIT for <paramref name="machine"/>.</summary>
    public static int GetFitLength(AcpiMachineDescription machine) =>
        machine.Nvdimms.Count * StructuresPerDeviceSize
        + (machine.Persistence == NvdimmPersistence.None ? 0 : NfitPlatformCapabilitiesLayout.Size);

    /// <summary>The FIT buffer: the NFIT's structures without header, as the DSM "Read FIT" function serves them.</summary>
    public static byte[] BuildFit(AcpiMachineDescription machine)
    {
        machine.Validate();
        var fit = new byte[GetFitLength(machine)];
        WriteFit(machine, fit);
        return fit;
    }

    /// <summary>The whole NFIT table: header, 4 reserved bytes, FIT; checksum valid.</summary>
    public static byte[] BuildTable(AcpiMachineDescription machine)
    {
        machine.Validate();
        var table = new byte[NfitTableLayout.StructuresOffset + GetFitLength(machine)];
        QemuAcpiHeader.Create(NfitTableLayout.Signature, NfitTableLayout.Revision, (uint)table.Length, machine.OemId, machine.OemTableId)
            .WriteTo(table);
        WriteFit(machine, table.AsSpan(NfitTableLayout.StructuresOffset));
        AcpiChecksum.Update(table, SdtHeaderLayout.ChecksumOffset);
        return table;
    }

    private static void WriteFit(AcpiMachineDescription machine, Span<byte> fit)
    {
        foreach (NvdimmAcpiDevice device in machine.Nvdimms)
        {
            SpaRange(device).WriteTo(fit);
            fit = fit[NfitSpaRangeLayout.Size..];
            MemoryDeviceMap(device).WriteTo(fit);
            fit = fit[NfitMemoryDeviceMapLayout.Size..];
            ControlRegion(device.Slot).WriteTo(fit);
            fit = fit[NfitControlRegionLayout.Size..];
        }
        NfitPlatformCapabilityFlags capabilities = machine.Persistence switch
        {
            NvdimmPersistence.Cpu => NfitPlatformCapabilityFlags.CpuCacheFlush | NfitPlatformCapabilityFlags.MemoryControllerFlush,
            NvdimmPersistence.MemCtrl => NfitPlatformCapabilityFlags.MemoryControllerFlush,
            _ => NfitPlatformCapabilityFlags.None,
        };
        if (capabilities != NfitPlatformCapabilityFlags.None)
        {
            NfitPlatformCapabilities.For(capabilities).WriteTo(fit);
        }
    }

    public static NfitSpaRange SpaRange(NvdimmAcpiDevice device) => new(
        RangeIndex: NvdimmSlotNumbers.SpaRangeIndex(device.Slot),
        // QEMU sets "control region for hot add only" along with "proximity domain valid".
        Flags: NfitSpaRangeFlags.ControlRegionForHotAddOnly | NfitSpaRangeFlags.ProximityDomainValid,
        ProximityDomain: device.Node,
        RangeType: NfitSpaRange.PersistentMemoryRangeType,
        RangeBase: device.Address,
        RangeLength: device.Size,
        MemoryMappingAttributes: NfitSpaRange.MemoryAttributeWriteBack | NfitSpaRange.MemoryAttributeNonVolatile);

    public static NfitMemoryDeviceMap MemoryDeviceMap(NvdimmAcpiDevice device) => new(
        DeviceHandle: NvdimmSlotNumbers.DeviceHandle(device.Slot),
        PhysicalId: 0,
        RegionId: 0,
        SpaRangeIndex: NvdimmSlotNumbers.SpaRangeIndex(device.Slot),
        ControlRegionIndex: NvdimmSlotNumbers.ControlRegionIndex(device.Slot),
        RegionSize: device.Size,
        RegionOffset: 0,
        PhysicalAddressRegionBase: 0,
        InterleaveIndex: 0,
        InterleaveWays: 1,
        StateFlags: device.Unarmed ? NfitMemoryDeviceStateFlags.NotArmed : NfitMemoryDeviceStateFlags.None);

    public static NfitControlRegion ControlRegion(int slot) => new(
        Index: NvdimmSlotNumbers.ControlRegionIndex(slot),
        VendorId: VendorId,
        DeviceId: DeviceId,
        RevisionId: RevisionId,
        SubsystemVendorId: 0,
        SubsystemDeviceId: 0,
        SubsystemRevisionId: 0,
        ValidFields: 0,
        ManufacturingLocation: 0,
        ManufacturingDate: 0,
        SerialNumber: NvdimmSlotNumbers.SerialNumber(slot),
        RegionFormatInterfaceCode: RegionFormatInterfaceCode,
        BlockControlWindowCount: 0,
        BlockControlWindowSize: 0,
        CommandRegisterOffset: 0,
        CommandRegisterSize: 0,
        StatusRegisterOffset: 0,
        StatusRegisterSize: 0,
        Flags: 0);
}
