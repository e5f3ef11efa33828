using Vnvdimm.Formats.Aml;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// What <c>vnvdimm acpi ... --out DIR</c> writes: <c>NFIT</c> (when an NVDIMM is plugged) and
/// <c>SSDT</c> (when there are slots) exactly as the guest holds them after the built-in firmware
/// ran, <c>E04.aml</c> (the raw <c>Method(_E04)</c> term QEMU puts in the DSDT's <c>\_GPE</c>
/// scope; a fragment, not a table) and <c>table-loader</c> (the loader script).
/// </summary>
public static class AcpiTableWriter
{
    public const string NfitFileName = "NFIT";
    public const string SsdtFileName = "SSDT";
    public const string GpeHandlerFileName = "E04.aml";
    public const string LoaderScriptFileName = "table-loader";

    /// <param name="machine">The machine's NVDIMM view.</param>
    /// <param name="ramBelow4G">Bytes of RAM below 4 GiB (the firmware allocates from its top).</param>
    /// <param name="dsmPage">Pins the DSM page (MEMA) to this address; default: the last page below <paramref name="ramBelow4G"/>.</param>
    /// <param name="directory">Created if missing; existing files of the same names are replaced.</param>
    public static AcpiTablesWritten Write(AcpiMachineDescription machine, ulong ramBelow4G, GuestAddress? dsmPage, string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        AcpiTableFiles rendered = Render(machine, ramBelow4G, dsmPage);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        foreach ((string name, byte[] contents) in rendered.Files)
        {
            files.Add(WriteFile(directory, name, contents));
        }
        return new AcpiTablesWritten(files, rendered.Placement);
    }

    /// <summary>The file names and contents <see cref="Write"/> writes, in that order, without touching the disk.</summary>
    public static AcpiTableFiles Render(AcpiMachineDescription machine, ulong ramBelow4G, GuestAddress? dsmPage)
    {
        ArgumentNullException.ThrowIfNull(machine);
        NvdimmAcpiTables tables = NvdimmAcpiTablesBuilder.Build(machine);
        LoadedAcpiTables loaded = BuiltInFirmware.LoadAcpiTables(tables, new SparseGuestRam(ramBelow4G), ramBelow4G, dsmPage);
        var files = new List<(string, byte[])>();
        foreach (LoadedAcpiTable table in loaded.Tables)
        {
            files.Add((table.Signature, table.Bytes));
        }
        files.Add((GpeHandlerFileName, NvdimmGpeHandlerBuilder.Build().ToArray()));
        files.Add((LoaderScriptFileName, tables.LoaderScript));
        return new AcpiTableFiles(files, loaded);
    }

    private static string WriteFile(string directory, string name, byte[] contents)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, contents);
        return path;
    }
}
