using Vnvdimm.Formats.Acpi;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Platform.Memory;
using Vnvdimm.Tests.Host.Acpi;

namespace Vnvdimm.Tests.Host.Firmware;

public sealed class BuiltInFirmwareTests
{
    private readonly ByteArrayGuestMemory _memory = new(ReferenceCase.RamBelow4G - (1 << 20), 1 << 20);

    [Fact]
    public void Places_the_dsm_page_on_the_last_page_and_the_tables_below_it()
    {
        NvdimmAcpiTables tables = NvdimmAcpiTablesBuilder.Build(ReferenceCase.Machine("s3"));

        LoadedAcpiTables loaded = BuiltInFirmware.LoadAcpiTables(tables, _memory, ReferenceCase.RamBelow4G);

        Assert.Equal(0x1FFFF000UL, loaded.DsmPage!.Value.Value);
        Assert.Equal((0x1FFFF000UL - (ulong)tables.Tables.Length) & ~63UL, loaded.TablesAddress.Value);
        Assert.Equal(["SSDT", "NFIT"], loaded.Tables.Select(t => t.Signature));
        Assert.Equal(loaded.TablesAddress.Value + (ulong)tables.Nfit!.Value.Offset, loaded.Find("NFIT")!.Address.Value);
    }

    [Fact]
    public void A_pinned_dsm_page_ends_up_in_mema()
    {
        NvdimmAcpiTables tables = NvdimmAcpiTablesBuilder.Build(ReferenceCase.Machine("s1"));

        LoadedAcpiTables loaded = BuiltInFirmware.LoadAcpiTables(tables, _memory, ReferenceCase.RamBelow4G, new GuestAddress(0x1FF80000));

        byte[] ssdt = loaded.Find("SSDT")!.Bytes;
        Assert.Equal(0x1FF80000u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(ssdt.AsSpan(ssdt.Length - 4)));
        Assert.True(AcpiChecksum.IsValid(ssdt));
        // With the page pinned elsewhere the tables take the top of RAM.
        Assert.Equal((ReferenceCase.RamBelow4G - (ulong)tables.Tables.Length) & ~63UL, loaded.TablesAddress.Value);
    }

    [Fact]
    public void Without_slots_nothing_is_loaded()
    {
        LoadedAcpiTables loaded = BuiltInFirmware.LoadAcpiTables(
            NvdimmAcpiTablesBuilder.Build(new AcpiMachineDescription(0, NvdimmPersistence.None, [])), _memory, ReferenceCase.RamBelow4G);

        Assert.Empty(loaded.Tables);
        Assert.Null(loaded.DsmPage);
    }
}
