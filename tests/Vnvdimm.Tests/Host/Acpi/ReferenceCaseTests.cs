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
    public void Nfit_matches_qemu_up_to_the_order_of_device_groups(string name)
    {
        byte[] expected = ReferenceData.Read(name, "NFIT");
        byte[] actual = Load(name).Find("NFIT")!.Bytes;

        if (ReferenceCase.Machine(name).Nvdimms.Count == 1)
        {
            Assert.Equal(expected, actual);
            return;
        }
        // The header (checksum aside) and the multiset of per-DIMM groups must agree.
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(WithoutChecksum(expected[..NfitTableLayout.StructuresOffset]), WithoutChecksum(actual[..NfitTableLayout.StructuresOffset]));
        Assert.Equal(Groups(expected), Groups(actual));
    }

    [Fact]
    public void S3_lists_slot_0_first_where_qemu_lists_slot_1_first()
    {
        byte[] expected = ReferenceData.Read("s3", "NFIT");
        byte[] actual = Load("s3").Find("NFIT")!.Bytes;
        int group = NfitBuilder.StructuresPerDeviceSize;
        int start = NfitTableLayout.StructuresOffset;

        Assert.Equal(expected.AsSpan(start, group).ToArray(), actual.AsSpan(start + group, group).ToArray());
        Assert.Equal(expected.AsSpan(start + group, group).ToArray(), actual.AsSpan(start, group).ToArray());
        Assert.Equal(expected.AsSpan(start + 2 * group).ToArray(), actual.AsSpan(start + 2 * group).ToArray());
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

    private static byte[] WithoutChecksum(byte[] header)
    {
        header[SdtHeaderLayout.ChecksumOffset] = 0;
        return header;
    }

    // The FIT split into per-DIMM groups (SPA + map + control region), sorted, plus the tail.
    private static List<string> Groups(byte[] nfit)
    {
        byte[] fit = nfit[NfitTableLayout.StructuresOffset..];
        int group = NfitBuilder.StructuresPerDeviceSize;
        var groups = new List<string>();
        int offset = 0;
        for (; offset + group <= fit.Length; offset += group)
        {
            groups.Add(Convert.ToHexString(fit, offset, group));
        }
        groups.Sort(StringComparer.Ordinal);
        groups.Add(Convert.ToHexString(fit, offset, fit.Length - offset));
        return groups;
    }
}
