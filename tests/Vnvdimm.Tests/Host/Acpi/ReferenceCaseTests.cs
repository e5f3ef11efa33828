using Vnvdimm.Tests.TestSupport;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Tests.Host.Firmware;

namespace Vnvdimm.Tests.Host.Acpi;

/// <summary>
/// Every QEMU 7.2 capture rebuilt from its configuration and loaded by the built-in firmware with
/// 512 MiB of RAM: the tables must be what the Linux guest held.
/// </summary>
public sealed class ReferenceCaseTests
{
    public static TheoryData<string> Cases => [.. ReferenceCase.Names];

    private static LoadedAcpiTables Load(string name)
    {
        NvdimmAcpiTables tables = NvdimmAcpiTablesBuilder.Build(ReferenceCase.Machine(name));
        // RAM covering the top MiB below 512 MiB, where the firmware allocates.
        var memory = new ByteArrayGuestMemory(ReferenceCase.RamBelow4G - (1 << 20), 1 << 20);
        return BuiltInFirmware.LoadAcpiTables(tables, memory, ReferenceCase.RamBelow4G);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ssdt_is_byte_identical_to_qemu(string name)
    {
        LoadedAcpiTables loaded = Load(name);

        Assert.Equal(ReferenceCase.SeaBiosDsmPage, loaded.DsmPage?.Value);
        Assert.Equal(ReferenceData.Read(name, "SSDT"), loaded.Find("SSDT")!.Bytes);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Nfit_is_byte_identical_to_qemu(string name)
    {
        Assert.Equal(ReferenceData.Read(name, "NFIT"), Load(name).Find("NFIT")!.Bytes);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loaded_tables_have_valid_checksums(string name)
    {
        foreach (LoadedAcpiTable table in Load(name).Tables)
        {
            Assert.True(AcpiChecksum.IsValid(table.Bytes), $"{table.Signature} checksum");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_tables_parse_and_agree_with_the_builder_models(string name)
    {
        byte[] nfit = ReferenceData.Read(name, "NFIT");
        Assert.True(SdtHeader.TryRead(nfit, out SdtHeader header, out string? error), error);
        Assert.Equal(("NFIT", "BOCHS ", "BXPC    ", "BXPC"), (header.Signature, header.OemId, header.OemTableId, header.CreatorId));

        AcpiMachineDescription machine = ReferenceCase.Machine(name);
        ReadOnlySpan<byte> fit = nfit.AsSpan(NfitTableLayout.StructuresOffset);
        var seenSlots = new List<int>();
        while (!fit.IsEmpty)
        {
            Assert.True(NfitStructureHeader.TryRead(fit, out NfitStructureHeader structure, out error), error);
            if (structure.Type == NfitStructureType.SpaRange)
            {
                Assert.True(NfitSpaRange.TryRead(fit, out NfitSpaRange spa, out error), error);
                NvdimmAcpiDevice device = machine.Nvdimms.Single(d => d.Address == spa.RangeBase);
                Assert.Equal(NfitBuilder.SpaRange(device), spa);
                seenSlots.Add(device.Slot);
            }
            else if (structure.Type == NfitStructureType.MemoryDeviceMap)
            {
                Assert.True(NfitMemoryDeviceMap.TryRead(fit, out NfitMemoryDeviceMap map, out error), error);
                Assert.Equal(NfitBuilder.MemoryDeviceMap(machine.Nvdimms.Single(d => NvdimmSlotNumbers.DeviceHandle(d.Slot) == map.DeviceHandle)), map);
            }
            else if (structure.Type == NfitStructureType.ControlRegion)
            {
                Assert.True(NfitControlRegion.TryRead(fit, out NfitControlRegion region, out error), error);
                Assert.Equal(NfitBuilder.ControlRegion((int)(region.SerialNumber - 0x123456)), region);
            }
            else
            {
                Assert.True(NfitPlatformCapabilities.TryRead(fit, out NfitPlatformCapabilities capabilities, out error), error);
                Assert.Equal(1, capabilities.HighestValidCapability);
            }
            fit = fit[structure.Length..];
        }
        Assert.Equal(machine.Nvdimms.Select(d => d.Slot).Order(), seenSlots.Order());
    }
}
