using Vnvdimm.Tests.TestSupport;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Loader;
using Vnvdimm.Host.Acpi;

namespace Vnvdimm.Tests.Host.Acpi;

public sealed class NvdimmAcpiTablesBuilderTests
{
    private static List<TableLoaderCommand> Parse(byte[] script)
    {
        var commands = new List<TableLoaderCommand>();
        for (int offset = 0; offset < script.Length; offset += TableLoaderCommandLayout.Size)
        {
            Assert.True(TableLoaderCommand.TryRead(script.AsSpan(offset), out TableLoaderCommand command, out string? error), error);
            commands.Add(command);
        }
        return commands;
    }

    [Fact]
    public void Script_has_qemus_nvdimm_commands_in_qemus_order()
    {
        NvdimmAcpiTables tables = NvdimmAcpiTablesBuilder.Build(ReferenceCase.Machine("s1"));

        // QEMU 7.2's etc/table-loader for s1, restricted to the NVDIMM tables, with offsets
        // relative to our blob (QEMU's SSDT sits at 8415 after FACS, DSDT, FACP, APIC, HPET).
        TableLoaderCommand[] expected =
        [
            TableLoaderCommand.Allocate("etc/acpi/nvdimm-mem", 4096, TableLoaderZone.High),
            TableLoaderCommand.Allocate("etc/acpi/tables", 64, TableLoaderZone.High),
            TableLoaderCommand.AddPointer("etc/acpi/tables", "etc/acpi/nvdimm-mem", 2205, 4),
            TableLoaderCommand.AddChecksum("etc/acpi/tables", 9, 0, 2209),
            TableLoaderCommand.AddChecksum("etc/acpi/tables", 2209 + 9, 2209, 224),
        ];
        Assert.Equal(expected, Parse(tables.LoaderScript));
        Assert.Equal(2205, tables.MemaOffset);
        Assert.Equal(new AcpiTableLocation(0, 2209), tables.Ssdt);
        Assert.Equal(new AcpiTableLocation(2209, 224), tables.Nfit);
    }

    [Theory]
    [MemberData(nameof(ReferenceCaseTests.Cases), MemberType = typeof(ReferenceCaseTests))]
    public void Blob_holds_the_tables_with_checksums_and_mema_zero_as_qemu_does(string name)
    {
        NvdimmAcpiTables tables = NvdimmAcpiTablesBuilder.Build(ReferenceCase.Machine(name));
        byte[] ssdt = ReferenceData.Read(name, "SSDT");
        ssdt[SdtHeaderLayout.ChecksumOffset] = 0;
        ssdt.AsSpan(ssdt.Length - 4).Clear();

        Assert.Equal(ssdt, tables.Tables.AsSpan(tables.Ssdt!.Value.Offset, tables.Ssdt.Value.Length).ToArray());
        Assert.Equal(0, tables.Tables[tables.Nfit!.Value.Offset + SdtHeaderLayout.ChecksumOffset]);
        Assert.Equal(tables.Ssdt.Value.Length + tables.Nfit.Value.Length, tables.Tables.Length);
    }

    [Fact]
    public void Without_nvdimms_there_is_an_ssdt_but_no_nfit()
    {
        NvdimmAcpiTables tables = NvdimmAcpiTablesBuilder.Build(new AcpiMachineDescription(2, NvdimmPersistence.Cpu, []));

        Assert.Null(tables.Nfit);
        Assert.Equal(tables.Ssdt!.Value.Length, tables.Tables.Length);
        Assert.Equal(4, Parse(tables.LoaderScript).Count);
        Assert.Equal(["etc/acpi/nvdimm-mem", "etc/acpi/tables"], tables.CreateFirmwareFiles().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_slots_there_are_no_tables()
    {
        NvdimmAcpiTables tables = NvdimmAcpiTablesBuilder.Build(new AcpiMachineDescription(0, NvdimmPersistence.None, []));

        Assert.Empty(tables.Tables);
        Assert.Empty(tables.LoaderScript);
        Assert.Null(tables.Ssdt);
        Assert.Null(tables.MemaOffset);
    }
}
