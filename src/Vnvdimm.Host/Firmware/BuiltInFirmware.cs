using System.Buffers.Binary;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Firmware;

/// <summary>
/// The firmware step of boot for the NVDIMM tables: runs QEMU's loader script with
/// <see cref="TableLoaderFirmware"/> and reads the resulting tables back from guest RAM.
/// </summary>
public static class BuiltInFirmware
{
    /// <param name="tables">The blob and script from <see cref="NvdimmAcpiTablesBuilder"/>.</param>
    /// <param name="memory">Guest RAM.</param>
    /// <param name="ramBelow4G">Bytes of RAM below 4 GiB; the DSM page defaults to its last page.</param>
    /// <param name="dsmPage">Pins the DSM page to this 4 KiB-aligned address instead.</param>
    public static LoadedAcpiTables LoadAcpiTables(NvdimmAcpiTables tables, IGuestMemory memory, ulong ramBelow4G, GuestAddress? dsmPage = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var firmware = new TableLoaderFirmware(memory, ramBelow4G);
        Dictionary<string, GuestAddress>? pinned = dsmPage is { } page
            ? new(StringComparer.Ordinal) { [AcpiFirmwareFiles.NvdimmDsmPage] = page }
            : null;
        FirmwareLoadResult result = firmware.Run(tables.LoaderScript, tables.CreateFirmwareFiles(), pinned);
        if (tables.Ssdt is null)
        {
            return new LoadedAcpiTables(default, null, []);
        }
        FirmwareAllocation blob = result[AcpiFirmwareFiles.Tables];
        GuestAddress? dsm = result.Allocations.FirstOrDefault(a => a.File == AcpiFirmwareFiles.NvdimmDsmPage)?.Address;
        return new LoadedAcpiTables(blob.Address, dsm, ReadTables(memory, blob));
    }

    /// <summary>
    /// Boots <paramref name="machine"/>'s firmware: runs QEMU's NVDIMM loader script, then places a
    /// DSDT (with the <c>_E04</c> hotplug handler), a FADT, an XSDT and the RSDP the same way, and
    /// returns the RSDP's address for the guest.
    /// </summary>
    public static FirmwareHandoff Boot(VirtualMachine machine, GuestAddress? dsmPage = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        AcpiMachineDescription description = VirtualMachineAcpi.Describe(machine);
        NvdimmAcpiTables nvdimm = NvdimmAcpiTablesBuilder.Build(description);
        (Dictionary<string, byte[]> files, byte[] bootScript) = BootTablesBuilder.Build(description, nvdimm);
        foreach ((string name, byte[] contents) in nvdimm.CreateFirmwareFiles())
        {
            files[name] = contents;
        }
        // The NVDIMM commands run first, so its tables and DSM page land where LoadAcpiTables puts them.
        byte[] script = [.. nvdimm.LoaderScript, .. bootScript];
        Dictionary<string, GuestAddress>? pinned = dsmPage is { } page
            ? new(StringComparer.Ordinal) { [AcpiFirmwareFiles.NvdimmDsmPage] = page }
            : null;
        ulong ramBelow4G = machine.Layout.BelowFourGiB;
        FirmwareLoadResult result = new TableLoaderFirmware(machine.AddressSpace, ramBelow4G).Run(script, files, pinned);
        LoadedAcpiTables tables = nvdimm.Ssdt is null
            ? new LoadedAcpiTables(default, null, [])
            : new LoadedAcpiTables(
                result.AddressOf(AcpiFirmwareFiles.Tables),
                result.Allocations.FirstOrDefault(a => a.File == AcpiFirmwareFiles.NvdimmDsmPage)?.Address,
                ReadTables(machine.AddressSpace, result[AcpiFirmwareFiles.Tables]));
        return new FirmwareHandoff(result.AddressOf(BootTablesBuilder.RsdpFile), tables);
    }

    /// <summary>Walks the tables in an allocated blob by their headers' Length fields.</summary>
    public static IReadOnlyList<LoadedAcpiTable> ReadTables(IGuestMemory memory, FirmwareAllocation blob)
    {
        var tables = new List<LoadedAcpiTable>();
        Span<byte> headerBytes = stackalloc byte[SdtHeaderLayout.Size];
        ulong offset = 0;
        while ((ulong)blob.Length - offset >= SdtHeaderLayout.Size)
        {
            var address = new GuestAddress(blob.Address.Value + offset);
            memory.ReadExactly(address, headerBytes);
            // QEMU pads its blob with zeros after the last table.
            if (headerBytes[..SdtHeaderLayout.SignatureLength].IndexOfAnyExcept((byte)0) < 0)
            {
                break;
            }
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(headerBytes[SdtHeaderLayout.LengthOffset..]);
            if (length < SdtHeaderLayout.Size || length > (ulong)blob.Length - offset)
            {
                throw new FirmwareLoaderException($"table at {address} claims length {length}, which does not fit the blob");
            }
            var bytes = new byte[length];
            memory.ReadExactly(address, bytes);
            if (!SdtHeader.TryRead(bytes, out SdtHeader header, out string? error))
            {
                throw new FirmwareLoaderException($"table at {address}: {error}");
            }
            tables.Add(new LoadedAcpiTable(address, header, bytes));
            offset += length;
        }
        return tables;
    }
}
