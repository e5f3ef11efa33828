using System.Buffers.Binary;
using System.Text;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Aml;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Hardware;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Platform.Bus;
using Vnvdimm.Platform.Memory;
using Vnvdimm.Tests.Host.Firmware;

namespace Vnvdimm.Tests.Guest;

/// <summary>
/// A stand-in firmware for guest tests: 2 MiB of RAM at 0 holding an ACPI 2.0 RSDP in the BIOS
/// area, an XSDT, and the given tables (a DSDT with the NVDIMM <c>_E04</c> handler unless one is
/// given), on a platform bus without devices. The guest finds everything as it would on a machine.
/// </summary>
internal sealed class GuestTestFirmware
{
    public const ulong RsdpAddress = 0xF0000;
    private const ulong TablesAddress = 0x100000;
    private const int RamSize = 0x200000;

    public GuestTestFirmware(params byte[][] tables)
    {
        Memory = new ByteArrayGuestMemory(0, RamSize);
        Bus = new PlatformBus(Memory);
        var all = new List<byte[]>(tables);
        if (!all.Any(t => Encoding.ASCII.GetString(t, 0, 4) == "DSDT"))
        {
            all.Insert(0, Dsdt());
        }
        ulong address = TablesAddress;
        var addresses = new List<ulong>();
        foreach (byte[] table in all)
        {
            Memory.TryWrite(new GuestAddress(address), table);
            addresses.Add(address);
            address += (ulong)(table.Length + 15) & ~15UL;
        }
        var xsdt = new byte[SdtHeaderLayout.Size + (8 * addresses.Count)];
        new SdtHeader("XSDT", (uint)xsdt.Length, 1, 0, "VNVDIM", "TEST", 1, "VNVD", 1).WriteTo(xsdt);
        for (int i = 0; i < addresses.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(xsdt.AsSpan(SdtHeaderLayout.Size + (8 * i)), addresses[i]);
        }
        AcpiChecksum.Update(xsdt, SdtHeaderLayout.ChecksumOffset);
        Memory.TryWrite(new GuestAddress(address), xsdt);

        var rsdp = new byte[36];
        Encoding.ASCII.GetBytes("RSD PTR VNVDIM").CopyTo(rsdp, 0);
        rsdp[15] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(rsdp.AsSpan(20), 36);
        BinaryPrimitives.WriteUInt64LittleEndian(rsdp.AsSpan(24), address);
        rsdp[8] = AcpiChecksum.Compute(rsdp.AsSpan(0, 20), 8);
        rsdp[32] = AcpiChecksum.Compute(rsdp, 32);
        Memory.TryWrite(new GuestAddress(RsdpAddress), rsdp);
    }

    public ByteArrayGuestMemory Memory { get; }

    public PlatformBus Bus { get; }

    public LinuxGuest Boot() => LinuxGuest.Boot(new PlatformBusHardware(Bus), new GuestAddress(RsdpAddress));

    /// <summary>A revision-1 DSDT with <c>Scope(\_GPE) { Method(_E04) { Notify(\_SB.NVDR, 0x80) } }</c>, as QEMU's.</summary>
    public static byte[] Dsdt() => Table("DSDT", 1, new AmlScope("\\_GPE") { NvdimmGpeHandlerBuilder.Build() });

    /// <summary>A definition block holding <paramref name="terms"/>, checksummed.</summary>
    public static byte[] Table(string signature, byte revision, params AmlObject[] terms)
    {
        byte[] body = [.. terms.SelectMany(t => t.ToArray())];
        var table = new byte[SdtHeaderLayout.Size + body.Length];
        new SdtHeader(signature, (uint)table.Length, revision, 0, "VNVDIM", "TEST", 1, "VNVD", 1).WriteTo(table);
        body.CopyTo(table, SdtHeaderLayout.Size);
        AcpiChecksum.Update(table, SdtHeaderLayout.ChecksumOffset);
        return table;
    }

    /// <summary>An NFIT table around <paramref name="fit"/> (the structures).</summary>
    public static byte[] Nfit(byte[] fit)
    {
        var table = new byte[40 + fit.Length];
        new SdtHeader("NFIT", (uint)table.Length, 1, 0, "BOCHS", "BXPC", 1, "BXPC", 1).WriteTo(table);
        fit.CopyTo(table, 40);
        AcpiChecksum.Update(table, SdtHeaderLayout.ChecksumOffset);
        return table;
    }
}
