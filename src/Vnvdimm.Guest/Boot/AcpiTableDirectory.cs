using System.Buffers.Binary;
using System.Text;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Guest.Kernel;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest.Boot;

/// <summary>
/// Finds the ACPI tables the way ACPICA does at boot: RSDP → XSDT (or RSDT) → every listed table,
/// and the DSDT through the FADT. Tables with a bad checksum are kept with a warning, as Linux does.
/// </summary>
public static class AcpiTableDirectory
{
    /// <summary>The BIOS read-only area a PC guest scans for the RSDP.</summary>
    public const ulong BiosAreaStart = 0xE0000;

    public const ulong BiosAreaEnd = 0x100000;

    // RSDP layout (ACPI 6.5 §5.2.5.3).
    private const int RsdpV1Length = 20;
    private const int RsdpV2Length = 36;
    private const int RsdpRevisionOffset = 15;
    private const int RsdpRsdtOffset = 16;
    private const int RsdpXsdtOffset = 24;

    // FADT: DSDT (u32) and, from ACPI 2.0 on, X_DSDT (u64).
    private const int FadtDsdtOffset = 40;
    private const int FadtXDsdtOffset = 140;

    // No real table is anywhere near this; a corrupt length must not make us read gigabytes.
    private const uint MaxTableLength = 16 << 20;

    private static ReadOnlySpan<byte> RsdpSignature => "RSD PTR "u8;

    /// <summary>Scans the BIOS area on 16-byte boundaries for an RSDP whose first 20 bytes sum to zero.</summary>
    public static GuestAddress? FindRsdp(IGuestMemory memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var area = new byte[BiosAreaEnd - BiosAreaStart];
        if (!memory.TryRead(new GuestAddress(BiosAreaStart), area))
        {
            return null;
        }
        for (int offset = 0; offset + RsdpV1Length <= area.Length; offset += 16)
        {
            ReadOnlySpan<byte> candidate = area.AsSpan(offset, RsdpV1Length);
            if (candidate.StartsWith(RsdpSignature) && AcpiChecksum.IsValid(candidate))
            {
                return new GuestAddress(BiosAreaStart + (ulong)offset);
            }
        }
        return null;
    }

    /// <summary>The tables reachable from the RSDP at <paramref name="rsdp"/>: the root table's entries in order, the DSDT right after the FADT.</summary>
    public static IReadOnlyList<AcpiTableEntry> Read(IGuestMemory memory, GuestAddress rsdp, KernelLog log)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(log);
        var header = new byte[RsdpV2Length];
        if (!memory.TryRead(rsdp, header.AsSpan(0, RsdpV1Length)) || !header.AsSpan().StartsWith(RsdpSignature))
        {
            log.Write($"ACPI: no RSDP at {rsdp}");
            return [];
        }
        byte revision = header[RsdpRevisionOffset];
        ulong xsdt = 0;
        if (revision > 1 && memory.TryRead(rsdp, header))
        {
            xsdt = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(RsdpXsdtOffset));
        }
        // ACPICA prefers the XSDT whenever the RSDP revision allows one.
        (ulong root, int entrySize) = xsdt != 0
            ? (xsdt, sizeof(ulong))
            : (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(RsdpRsdtOffset)), sizeof(uint));
        AcpiTableEntry? rootTable = ReadTable(memory, new GuestAddress(root), log);
        if (rootTable is null)
        {
            return [];
        }
        log.Write($"ACPI: {rootTable.Signature} 0x{root:X16} {rootTable.Bytes.Length:X6}");

        var tables = new List<AcpiTableEntry>();
        ReadOnlySpan<byte> entries = rootTable.Bytes.AsSpan(SdtHeaderLayout.Size);
        for (int i = 0; i + entrySize <= entries.Length; i += entrySize)
        {
            ulong address = entrySize == sizeof(ulong)
                ? BinaryPrimitives.ReadUInt64LittleEndian(entries[i..])
                : BinaryPrimitives.ReadUInt32LittleEndian(entries[i..]);
            if (address == 0 || ReadTable(memory, new GuestAddress(address), log) is not { } table)
            {
                continue;
            }
            tables.Add(table);
            if (table.Signature == "FACP" && FindDsdt(memory, table, log) is { } dsdt)
            {
                tables.Add(dsdt);
            }
        }
        return tables;
    }

    private static AcpiTableEntry? FindDsdt(IGuestMemory memory, AcpiTableEntry fadt, KernelLog log)
    {
        ReadOnlySpan<byte> bytes = fadt.Bytes;
        ulong address = bytes.Length >= FadtXDsdtOffset + sizeof(ulong)
            ? BinaryPrimitives.ReadUInt64LittleEndian(bytes[FadtXDsdtOffset..])
            : 0;
        if (address == 0 && bytes.Length >= FadtDsdtOffset + sizeof(uint))
        {
            address = BinaryPrimitives.ReadUInt32LittleEndian(bytes[FadtDsdtOffset..]);
        }
        return address == 0 ? null : ReadTable(memory, new GuestAddress(address), log);
    }

    private static AcpiTableEntry? ReadTable(IGuestMemory memory, GuestAddress address, KernelLog log)
    {
        var headerBytes = new byte[SdtHeaderLayout.Size];
        if (!memory.TryRead(address, headerBytes))
        {
            log.Write($"ACPI: table at {address} is not in memory");
            return null;
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(headerBytes.AsSpan(SdtHeaderLayout.LengthOffset));
        if (length < SdtHeaderLayout.Size || length > MaxTableLength)
        {
            log.Write($"ACPI: table at {address} has an invalid length {length}");
            return null;
        }
        var bytes = new byte[length];
        if (!memory.TryRead(address, bytes) || !SdtHeader.TryRead(bytes, out SdtHeader header, out _))
        {
            log.Write($"ACPI: table at {address} is not in memory");
            return null;
        }
        var table = new AcpiTableEntry(address, header, bytes);
        if (!table.ChecksumValid)
        {
            byte expected = AcpiChecksum.Compute(bytes, SdtHeaderLayout.ChecksumOffset);
            log.Write($"ACPI BIOS Warning (bug): Incorrect checksum in table [{Printable(header.Signature)}] - 0x{header.Checksum:X2}, should be 0x{expected:X2} (20220331/tbprint-174)");
        }
        return table;
    }

    private static string Printable(string signature)
    {
        var text = new StringBuilder(signature.Length);
        foreach (char c in signature)
        {
            text.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        return text.ToString();
    }
}
