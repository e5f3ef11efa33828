using System.Buffers.Binary;
using System.Text;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Loader;
using Vnvdimm.Formats.Aml;
using Vnvdimm.Host.Acpi;

namespace Vnvdimm.Host.Firmware;

/// <summary>
/// The tables a guest needs besides QEMU's NVDIMM SSDT and NFIT to find them: a DSDT holding only
/// <c>Scope(\_GPE) { Method(_E04) … }</c>, a minimal FADT pointing at it, an XSDT listing the FADT
/// and the NVDIMM tables, and an ACPI 2.0 RSDP in the F segment, where a PC guest looks for it.
/// Like QEMU's own, they reach guest RAM through linker/loader commands, so the pointers between
/// them are patched by the firmware and hold wherever it placed the tables.
/// </summary>
internal static class BootTablesBuilder
{
    /// <summary>fw_cfg file holding the RSDP (FSEG).</summary>
    public const string RsdpFile = "etc/acpi/rsdp";

    /// <summary>fw_cfg file holding DSDT, FADT and XSDT back to back (HIGH).</summary>
    public const string BootTablesFile = "etc/vnvdimm/boot-tables";

    // RSDP (ACPI 6.5 §5.2.5.3): revision 2 form, 36 bytes.
    private const int RsdpLength = 36;
    private const int RsdpChecksumOffset = 8;
    private const int RsdpOemIdOffset = 9;
    private const int RsdpRevisionOffset = 15;
    private const int RsdpLengthOffset = 20;
    private const int RsdpXsdtAddressOffset = 24;
    private const int RsdpExtendedChecksumOffset = 32;
    private const int RsdpV1Length = 20;

    // FADT: the ACPI 3.0 size QEMU's pc machines use; only DSDT (u32 @40) and X_DSDT (u64 @140) matter here.
    private const int FadtLength = 244;
    private const byte FadtRevision = 3;
    private const int FadtDsdtOffset = 40;
    private const int FadtXDsdtOffset = 140;

    /// <summary>
    /// The extra fw_cfg files and the loader commands that place and link them, to run after the
    /// NVDIMM tables' own script (so the NVDIMM tables and the DSM page land where they always do).
    /// </summary>
    public static (Dictionary<string, byte[]> Files, byte[] Script) Build(AcpiMachineDescription machine, NvdimmAcpiTables nvdimm)
    {
        var blob = new List<byte>();
        string oemId = machine.OemId;

        // QEMU's DSDT is revision 1, which makes AML integers 32 bits wide, as the guest sees them.
        var gpe = new AmlScope("\\_GPE");
        if (machine.Slots > 0)
        {
            gpe.Add(NvdimmGpeHandlerBuilder.Build());
        }
        AcpiTableLocation dsdt = Append(blob, Table("DSDT", 1, oemId, machine.OemTableId, gpe.ToArray()));

        var fadtBody = new byte[FadtLength - SdtHeaderLayout.Size];
        AcpiTableLocation fadt = Append(blob, Table("FACP", FadtRevision, oemId, machine.OemTableId, fadtBody));
        SetPointer(blob, fadt.Offset + FadtDsdtOffset, sizeof(uint), (ulong)dsdt.Offset);
        SetPointer(blob, fadt.Offset + FadtXDsdtOffset, sizeof(ulong), (ulong)dsdt.Offset);

        var entries = new List<(string Source, int Offset)> { (BootTablesFile, fadt.Offset) };
        if (nvdimm.Ssdt is { } ssdt)
        {
            entries.Add((AcpiFirmwareFiles.Tables, ssdt.Offset));
        }
        if (nvdimm.Nfit is { } nfit)
        {
            entries.Add((AcpiFirmwareFiles.Tables, nfit.Offset));
        }
        AcpiTableLocation xsdt = Append(blob, Table("XSDT", 1, oemId, machine.OemTableId, new byte[entries.Count * sizeof(ulong)]));
        for (int i = 0; i < entries.Count; i++)
        {
            SetPointer(blob, xsdt.Offset + SdtHeaderLayout.Size + (i * sizeof(ulong)), sizeof(ulong), (ulong)entries[i].Offset);
        }

        var rsdp = new byte[RsdpLength];
        Encoding.ASCII.GetBytes("RSD PTR ", rsdp);
        Encoding.ASCII.GetBytes(oemId, rsdp.AsSpan(RsdpOemIdOffset, SdtHeaderLayout.OemIdLength));
        rsdp[RsdpRevisionOffset] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(rsdp.AsSpan(RsdpLengthOffset), RsdpLength);
        BinaryPrimitives.WriteUInt64LittleEndian(rsdp.AsSpan(RsdpXsdtAddressOffset), (ulong)xsdt.Offset);

        var commands = new List<TableLoaderCommand>
        {
            TableLoaderCommand.Allocate(BootTablesFile, AcpiFirmwareFiles.TablesAlignment, TableLoaderZone.High),
            TableLoaderCommand.Allocate(RsdpFile, 16, TableLoaderZone.FSeg),
            TableLoaderCommand.AddPointer(BootTablesFile, BootTablesFile, (uint)(fadt.Offset + FadtDsdtOffset), sizeof(uint)),
            TableLoaderCommand.AddPointer(BootTablesFile, BootTablesFile, (uint)(fadt.Offset + FadtXDsdtOffset), sizeof(ulong)),
        };
        for (int i = 0; i < entries.Count; i++)
        {
            commands.Add(TableLoaderCommand.AddPointer(BootTablesFile, entries[i].Source, (uint)(xsdt.Offset + SdtHeaderLayout.Size + (i * sizeof(ulong))), sizeof(ulong)));
        }
        commands.Add(TableLoaderCommand.AddPointer(RsdpFile, BootTablesFile, RsdpXsdtAddressOffset, sizeof(ulong)));
        foreach (AcpiTableLocation table in new[] { dsdt, fadt, xsdt })
        {
            commands.Add(TableLoaderCommand.AddChecksum(BootTablesFile, (uint)(table.Offset + SdtHeaderLayout.ChecksumOffset), (uint)table.Offset, (uint)table.Length));
        }
        // The ACPI 1.0 checksum covers the first 20 bytes; the extended one all 36, once the first is set.
        commands.Add(TableLoaderCommand.AddChecksum(RsdpFile, RsdpChecksumOffset, 0, RsdpV1Length));
        commands.Add(TableLoaderCommand.AddChecksum(RsdpFile, RsdpExtendedChecksumOffset, 0, RsdpLength));

        var script = new byte[commands.Count * TableLoaderCommandLayout.Size];
        for (int i = 0; i < commands.Count; i++)
        {
            commands[i].WriteTo(script.AsSpan(i * TableLoaderCommandLayout.Size));
        }
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [BootTablesFile] = [.. blob],
            [RsdpFile] = rsdp,
        };
        return (files, script);
    }

    private static byte[] Table(string signature, byte revision, string oemId, string oemTableId, byte[] body)
    {
        var table = new byte[SdtHeaderLayout.Size + body.Length];
        QemuAcpiHeader.Create(signature, revision, (uint)table.Length, oemId, oemTableId).WriteTo(table);
        body.CopyTo(table, SdtHeaderLayout.Size);
        return table;
    }

    private static AcpiTableLocation Append(List<byte> blob, byte[] table)
    {
        var location = new AcpiTableLocation(blob.Count, table.Length);
        blob.AddRange(table);
        return location;
    }

    // The loader adds the source file's address to the value already there: store the offset in the source.
    private static void SetPointer(List<byte> blob, int offset, int size, ulong value)
    {
        for (int i = 0; i < size; i++)
        {
            blob[offset + i] = (byte)(value >> (8 * i));
        }
    }
}
