using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Loader;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// Assembles <see cref="NvdimmAcpiTables"/> as QEMU's <c>nvdimm_build_acpi</c> does: an SSDT
/// whenever there are slots, an NFIT when at least one NVDIMM is plugged, and the loader
/// commands for both.
/// </summary>
public static class NvdimmAcpiTablesBuilder
{
    public static NvdimmAcpiTables Build(AcpiMachineDescription machine)
    {
        machine.Validate();
        var loader = new TableLoaderScriptBuilder();
        if (machine.Slots == 0)
        {
            return new NvdimmAcpiTables([], loader.ToArray(), null, null, null);
        }

        NvdimmSsdt ssdt = NvdimmSsdtBuilder.Build(machine);
        byte[]? nfit = machine.Nvdimms.Count > 0 ? NfitBuilder.BuildTable(machine) : null;

        var tables = new byte[ssdt.Table.Length + (nfit?.Length ?? 0)];
        var ssdtLocation = new AcpiTableLocation(0, ssdt.Table.Length);
        AppendTable(tables, ssdtLocation, ssdt.Table);
        AcpiTableLocation? nfitLocation = null;
        if (nfit is not null)
        {
            nfitLocation = new AcpiTableLocation(ssdtLocation.Length, nfit.Length);
            AppendTable(tables, nfitLocation.Value, nfit);
        }
        int memaOffset = ssdtLocation.Offset + ssdt.MemaValueOffset;

        loader.Allocate(AcpiFirmwareFiles.Tables, AcpiFirmwareFiles.TablesAlignment, TableLoaderZone.High);
        loader.Allocate(AcpiFirmwareFiles.NvdimmDsmPage, NvdimmSsdtBuilder.DsmPageSize, TableLoaderZone.High);
        loader.AddPointer(AcpiFirmwareFiles.Tables, AcpiFirmwareFiles.NvdimmDsmPage, memaOffset, sizeof(uint));
        // After the pointer, so the checksum covers the patched MEMA.
        loader.AddTableChecksum(AcpiFirmwareFiles.Tables, ssdtLocation);
        if (nfitLocation is not null)
        {
            loader.AddTableChecksum(AcpiFirmwareFiles.Tables, nfitLocation.Value);
        }
        return new NvdimmAcpiTables(tables, loader.ToArray(), ssdtLocation, nfitLocation, memaOffset);
    }

    // QEMU leaves checksum bytes 0 in the blob; the loader's AddChecksum fills them in.
    private static void AppendTable(byte[] tables, AcpiTableLocation location, byte[] table)
    {
        Span<byte> destination = tables.AsSpan(location.Offset, location.Length);
        table.CopyTo(destination);
        destination[SdtHeaderLayout.ChecksumOffset] = 0;
    }
}
