using Vnvdimm.Tests.TestSupport;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Acpi;

public sealed class AcpiTableWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vnvdimm-acpi-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string[] WrittenNames() => [.. Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Writes_the_tables_as_the_guest_holds_them()
    {
        AcpiTablesWritten written = AcpiTableWriter.Write(ReferenceCase.Machine("s1"), ReferenceCase.RamBelow4G, null, _directory);

        Assert.Equal(["E04.aml", "NFIT", "SSDT", "table-loader"], WrittenNames());
        Assert.Equal(4, written.Files.Count);
        Assert.Equal(ReferenceData.Read("s1", "SSDT"), File.ReadAllBytes(Path.Combine(_directory, "SSDT")));
        Assert.Equal(ReferenceData.Read("s1", "NFIT"), File.ReadAllBytes(Path.Combine(_directory, "NFIT")));
        Assert.Equal("14135F45303400865C2E5F53425F4E5644520A80", Convert.ToHexString(File.ReadAllBytes(Path.Combine(_directory, "E04.aml"))));
        Assert.Equal(NvdimmAcpiTablesBuilder.Build(ReferenceCase.Machine("s1")).LoaderScript, File.ReadAllBytes(Path.Combine(_directory, "table-loader")));
        Assert.Equal(0x1FFFF000UL, written.Placement.DsmPage!.Value.Value);
    }

    [Fact]
    public void Dsm_page_option_moves_mema()
    {
        AcpiTableWriter.Write(ReferenceCase.Machine("s2"), ReferenceCase.RamBelow4G, new GuestAddress(0x7FFE000), _directory);

        byte[] ssdt = File.ReadAllBytes(Path.Combine(_directory, "SSDT"));
        Assert.Equal("00E0FF07", Convert.ToHexString(ssdt, ssdt.Length - 4, 4));
    }

    [Fact]
    public void No_nfit_without_nvdimms_and_no_tables_without_slots()
    {
        AcpiTableWriter.Write(new AcpiMachineDescription(2, NvdimmPersistence.None, []), ReferenceCase.RamBelow4G, null, _directory);
        Assert.Equal(["E04.aml", "SSDT", "table-loader"], WrittenNames());

        Directory.Delete(_directory, recursive: true);
        AcpiTableWriter.Write(new AcpiMachineDescription(0, NvdimmPersistence.None, []), ReferenceCase.RamBelow4G, null, _directory);
        Assert.Equal(["E04.aml", "table-loader"], WrittenNames());
    }
}
