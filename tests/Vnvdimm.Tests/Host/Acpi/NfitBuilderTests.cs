using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Host.Acpi;

namespace Vnvdimm.Tests.Host.Acpi;

public sealed class NfitBuilderTests
{
    private static NvdimmAcpiDevice Device(int slot, ulong address) => new(slot, address, 0x800_0000, 0, false, 0);

    [Fact]
    public void Fit_is_the_table_without_header_and_reserved_bytes()
    {
        AcpiMachineDescription machine = ReferenceCase.Machine("s3");

        byte[] table = NfitBuilder.BuildTable(machine);

        Assert.Equal(NfitBuilder.BuildFit(machine), table[NfitTableLayout.StructuresOffset..]);
        Assert.Equal(424, table.Length);
        Assert.True(AcpiChecksum.IsValid(table));
    }

    [Fact]
    public void Devices_are_listed_in_the_order_given_not_by_slot()
    {
        // The machine hands them over in QEMU's QOM order, which need not be slot order.
        var machine = new AcpiMachineDescription(8, NvdimmPersistence.None, [Device(5, 0x3_0000_0000), Device(2, 0x2_0000_0000)]);

        byte[] fit = NfitBuilder.BuildFit(machine);

        Assert.True(NfitSpaRange.TryRead(fit, out NfitSpaRange first, out _));
        Assert.True(NfitSpaRange.TryRead(fit.AsSpan(NfitBuilder.StructuresPerDeviceSize), out NfitSpaRange second, out _));
        Assert.Equal((12, 6), (first.RangeIndex, second.RangeIndex));
    }

    [Theory]
    [InlineData(NvdimmPersistence.None, 0u)]
    [InlineData(NvdimmPersistence.Cpu, 3u)]
    [InlineData(NvdimmPersistence.MemCtrl, 2u)]
    public void Platform_capabilities_follow_nvdimm_persistence(NvdimmPersistence persistence, uint expected)
    {
        var machine = new AcpiMachineDescription(2, persistence, [Device(0, 0x1_0000_0000)]);

        byte[] fit = NfitBuilder.BuildFit(machine);

        if (expected == 0)
        {
            Assert.Equal(NfitBuilder.StructuresPerDeviceSize, fit.Length);
            return;
        }
        Assert.True(NfitPlatformCapabilities.TryRead(fit.AsSpan(NfitBuilder.StructuresPerDeviceSize), out NfitPlatformCapabilities caps, out string? error), error);
        Assert.Equal(expected, (uint)caps.Capabilities);
        Assert.Equal(1, caps.HighestValidCapability);
    }

    [Fact]
    public void Fit_without_devices_still_carries_capabilities() =>
        Assert.Equal(NfitPlatformCapabilitiesLayout.Size, NfitBuilder.BuildFit(new AcpiMachineDescription(2, NvdimmPersistence.Cpu, [])).Length);

    [Fact]
    public void Oem_ids_come_from_the_machine()
    {
        var machine = new AcpiMachineDescription(1, NvdimmPersistence.None, [Device(0, 0x1_0000_0000)], OemId: "VNV", OemTableId: "TABLE");

        Assert.True(SdtHeader.TryRead(NfitBuilder.BuildTable(machine), out SdtHeader header, out _));
        Assert.Equal(("VNV", "TABLE"), (header.OemId, header.OemTableId));
    }

    [Fact]
    public void Slot_derived_numbers()
    {
        Assert.Equal((1u, (ushort)2, (ushort)3, 0x123456u, "NV00"), (NvdimmSlotNumbers.DeviceHandle(0), NvdimmSlotNumbers.SpaRangeIndex(0), NvdimmSlotNumbers.ControlRegionIndex(0), NvdimmSlotNumbers.SerialNumber(0), NvdimmSlotNumbers.AcpiDeviceName(0)));
        Assert.Equal((256u, (ushort)512, (ushort)513, 0x123555u, "NVFF"), (NvdimmSlotNumbers.DeviceHandle(255), NvdimmSlotNumbers.SpaRangeIndex(255), NvdimmSlotNumbers.ControlRegionIndex(255), NvdimmSlotNumbers.SerialNumber(255), NvdimmSlotNumbers.AcpiDeviceName(255)));
    }

    public static TheoryData<AcpiMachineDescription, string> InvalidMachines => new()
    {
        { new AcpiMachineDescription(257, NvdimmPersistence.None, []), "slots" },
        { new AcpiMachineDescription(2, NvdimmPersistence.None, [Device(2, 0x1_0000_0000)]), "outside" },
        { new AcpiMachineDescription(2, NvdimmPersistence.None, [Device(1, 0x1_0000_0000), Device(1, 0x2_0000_0000)]), "claim slot 1" },
        { new AcpiMachineDescription(2, NvdimmPersistence.None, [Device(0, 0x1_0000_0000) with { Size = 0 }]), "empty" },
        { new AcpiMachineDescription(2, NvdimmPersistence.None, [], OemId: "SEVENCH"), "OEM ID" },
        { new AcpiMachineDescription(2, NvdimmPersistence.None, [], OemTableId: "NINECHARS"), "OEM table ID" },
    };

    [Theory]
    [MemberData(nameof(InvalidMachines))]
    public void Rejects_inconsistent_machines(AcpiMachineDescription machine, string reason)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => NfitBuilder.BuildTable(machine));
        Assert.Contains(reason, error.Message);
    }
}
