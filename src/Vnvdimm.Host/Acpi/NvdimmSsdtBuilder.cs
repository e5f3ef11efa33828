using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Aml;
using static Vnvdimm.Formats.Aml.AmlArg;
using static Vnvdimm.Formats.Aml.AmlLocal;
using static Vnvdimm.Formats.Aml.Asl;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// Builds QEMU 7.2's NVDIMM SSDT (research §4): <c>\_SB.NVDR</c> with <c>_HID</c>, the NCAL
/// mailbox trampoline, <c>_DSM</c>, RSTA, RFIT, <c>_FIT</c>, one NVxx per slot, and the root
/// <c>MEMA</c> DWORD that the firmware patches with the DSM page address.
/// </summary>
public static class NvdimmSsdtBuilder
{
    public const string Signature = "SSDT";
    public const byte Revision = 1;

    /// <summary>Fixed OEM table ID; <c>x-oem-table-id</c> does not apply to this table.</summary>
    public const string OemTableId = "NVDIMM";

    /// <summary>The x86 mailbox: a 4-byte I/O port range whose 32-bit write runs the DSM.</summary>
    public const ushort DsmIoPort = 0x0A18;
    public const int DsmIoPortLength = 4;

    /// <summary>The DSM page shared by AML and QEMU.</summary>
    public const int DsmPageSize = 0x1000;

    /// <summary>Handle of QEMU's private root functions (Read FIT).</summary>
    public const uint QemuPrivateHandle = 0x10000;

    public const string RootDeviceDsmUuid = "2f10e7a4-9e91-11e4-89d3-123b93f75cba";
    public const string QemuPrivateDsmUuid = "648b9cf2-cda1-4312-8ad9-49c4af32bd62";
    public const string NvdimmDeviceDsmUuid = "4309ac30-0d11-11e4-9191-0800200c9a66";

    // DSM page input: handle, revision, function (4 bytes each), then the argument payload.
    private const int DsmInputHeaderSize = 12;
    // DSM page output: length (4 bytes), then the data.
    private const int DsmOutputHeaderSize = 4;
    // "FIT changed while reading": restart from offset 0.
    private const uint ReadFitChanged = 0x100;
    private const byte ObjectTypePackage = 4;

    // AML objects are immutable once built, so every method can share these.
    private static readonly AmlBuffer RootDeviceUuidBuffer = ToUuid(RootDeviceDsmUuid);
    private static readonly AmlBuffer QemuPrivateUuidBuffer = ToUuid(QemuPrivateDsmUuid);
    private static readonly AmlBuffer NvdimmDeviceUuidBuffer = ToUuid(NvdimmDeviceDsmUuid);

    /// <summary>Builds the table for <paramref name="machine"/> (Slots NVxx devices, whatever is plugged).</summary>
    public static NvdimmSsdt Build(AcpiMachineDescription machine)
    {
        machine.Validate();
        AmlScope systemBus = SystemBusScope(machine.Slots);
        var mema = new AmlNameDeclaration("MEMA", AmlInteger.DWord(0));

        var table = new byte[SdtHeaderLayout.Size + systemBus.Length + mema.Length];
        var output = new FixedBufferWriter(table, SdtHeaderLayout.Size);
        var writer = new AmlWriter(output);
        systemBus.WriteTo(writer);
        // NameOp, "MEMA", DWordPrefix, then the value.
        int memaValueOffset = output.Position + mema.Length - sizeof(uint);
        mema.WriteTo(writer);
        if (output.Position != table.Length)
        {
            throw new InvalidOperationException($"SSDT encoded to {output.Position} bytes, not the computed {table.Length}");
        }

        QemuAcpiHeader.Create(Signature, Revision, (uint)table.Length, machine.OemId, OemTableId).WriteTo(table);
        AcpiChecksum.Update(table, SdtHeaderLayout.ChecksumOffset);
        return new NvdimmSsdt(table, memaValueOffset);
    }

    private static AmlScope SystemBusScope(int slots)
    {
        var root = new AmlDevice("NVDR")
        {
            Name("_HID", new AmlString("ACPI0012")),
            DsmCall(),
            new AmlMethod("_DSM", 4, serialized: false)
            {
                Return(Call("NCAL", Arg0, Arg1, Arg2, Arg3, AmlInteger.Zero)),
            },
            Name("RSTA", AmlInteger.Zero),
            ReadFitChunk(),
            ReadFit(),
        };
        for (int slot = 0; slot < slots; slot++)
        {
            root.Add(NvdimmDevice(slot));
        }
        return new AmlScope("\\_SB") { root };
    }

    // NCAL(uuid, revision, function, package, handle): fills the DSM page, writes its address
    // to the I/O port (QEMU answers synchronously) and returns bytes [4, RLEN) of the page.
    private static AmlMethod DsmCall()
    {
        const AmlFieldAccessType access = AmlFieldAccessType.DWordAcc;
        const AmlFieldLockRule noLock = AmlFieldLockRule.NoLock;
        const AmlFieldUpdateRule preserve = AmlFieldUpdateRule.Preserve;
        AmlInteger zero = AmlInteger.Zero;

        return new AmlMethod("NCAL", 5, serialized: true)
        {
            Store(Path("MEMA"), Local6),
            new AmlOperationRegion("NPIO", AmlRegionSpace.SystemIO, Int(DsmIoPort), Int(DsmIoPortLength)),
            new AmlOperationRegion("NRAM", AmlRegionSpace.SystemMemory, Local6, Int(DsmPageSize)),
            new AmlField("NPIO", access, noLock, preserve) { { "NTFI", 32 } },
            new AmlField("NRAM", access, noLock, preserve)
            {
                { "HDLE", 32 },
                { "REVS", 32 },
                { "FUNC", 32 },
                { "FARG", (DsmPageSize - DsmInputHeaderSize) * 8 },
            },
            new AmlField("NRAM", access, noLock, preserve)
            {
                { "RLEN", 32 },
                { "ODAT", (DsmPageSize - DsmOutputHeaderSize) * 8 },
            },
            new AmlIf(LEqual(Arg4, zero)) { Store(RootDeviceUuidBuffer, Local0) },
            new AmlElse
            {
                new AmlIf(LEqual(Arg4, Int(QemuPrivateHandle))) { Store(QemuPrivateUuidBuffer, Local0) },
                new AmlElse { Store(NvdimmDeviceUuidBuffer, Local0) },
            },
            // Unpatched MEMA or a foreign UUID: function 0 gets "no functions", others "unsupported".
            new AmlIf(LOr(LEqual(Local6, zero), LNotEqual(Arg0, Local0)))
            {
                new AmlIf(LEqual(Arg2, zero)) { Return(new AmlBuffer([0x00])) },
                Return(new AmlBuffer([0x01])),
            },
            Store(Arg4, Path("HDLE")),
            Store(Arg1, Path("REVS")),
            Store(Arg2, Path("FUNC")),
            new AmlIf(LAnd(LEqual(ObjectType(Arg3), Int(ObjectTypePackage)), LEqual(SizeOf(Arg3), AmlInteger.One)))
            {
                Store(Index(Arg3, zero), Local2),
                Store(DerefOf(Local2), Local3),
                Store(Local3, Path("FARG")),
            },
            Store(Local6, Path("NTFI")),
            Subtract(Path("RLEN"), Int(DsmOutputHeaderSize), Local1),
            // Results under 8 bytes are copied byte by byte: a short CreateField would be an Integer.
            new AmlIf(LLess(Local1, Int(8)))
            {
                Store(zero, Local2),
                Name("TBUF", AmlBuffer.Zeroed(1)),
                Store(AmlBuffer.Empty, Local7),
                new AmlWhile(LLess(Local2, Local1))
                {
                    Store(DerefOf(Index(Path("ODAT"), Local2)), Index(Path("TBUF"), zero)),
                    Concatenate(Local7, Path("TBUF"), Local7),
                    Increment(Local2),
                },
                Return(Local7),
            },
            Store(ShiftLeft(Local1, Int(3)), Local1),
            CreateField(Path("ODAT"), zero, Local1, "OBUF"),
            Return(Path("OBUF")),
        };
    }

    // RFIT(offset): one Read FIT call through the private handle; status goes to RSTA.
    private static AmlMethod ReadFitChunk()
    {
        AmlInteger zero = AmlInteger.Zero;
        AmlInteger one = AmlInteger.One;
        return new AmlMethod("RFIT", 1, serialized: true)
        {
            Name("OFST", zero),
            Store(Arg0, Path("OFST")),
            Store(Call("NCAL", QemuPrivateUuidBuffer, one, one, new AmlPackage(Path("OFST")), Int(QemuPrivateHandle)), Local0),
            CreateDWordField(Local0, zero, "STAU"),
            Store(Path("STAU"), Path("RSTA")),
            new AmlIf(LNotEqual(zero, Path("STAU"))) { Return(AmlBuffer.Empty) },
            Store(SizeOf(Local0), Local1),
            Subtract(Local1, Int(4), Local1),
            new AmlIf(LEqual(Local1, zero)) { Return(AmlBuffer.Empty) },
            CreateField(Local0, Int(32), ShiftLeft(Local1, Int(3)), "BUFF"),
            Return(Path("BUFF")),
        };
    }

    // _FIT(): concatenates RFIT chunks until an empty one; restarts when the FIT changed.
    private static AmlMethod ReadFit()
    {
        AmlInteger zero = AmlInteger.Zero;
        return new AmlMethod("_FIT", 0, serialized: true)
        {
            Store(AmlBuffer.Empty, Local2),
            Store(zero, Local3),
            new AmlWhile(AmlInteger.One)
            {
                Store(Call("RFIT", Local3), Local0),
                Store(SizeOf(Local0), Local1),
                new AmlIf(LEqual(Path("RSTA"), Int(ReadFitChanged)))
                {
                    Store(AmlBuffer.Empty, Local2),
                    Store(zero, Local3),
                },
                new AmlElse
                {
                    new AmlIf(LEqual(Local1, zero)) { Return(Local2) },
                    Add(Local3, Local1, Local3),
                    Concatenate(Local2, Local0, Local2),
                },
            },
        };
    }

    // NVxx: _ADR = handle, ACPI 6.2 label methods over DSM functions 4/5/6, and _DSM.
    private static AmlDevice NvdimmDevice(int slot)
    {
        AmlInteger handle = Int(NvdimmSlotNumbers.DeviceHandle(slot));
        AmlInteger zero = AmlInteger.Zero;
        AmlInteger one = AmlInteger.One;
        return new AmlDevice(NvdimmSlotNumbers.AcpiDeviceName(slot))
        {
            Name("_ADR", handle),
            new AmlMethod("_LSI", 0, serialized: true)
            {
                Store(Call("NCAL", NvdimmDeviceUuidBuffer, one, Int(4), zero, handle), Local0),
                CreateDWordField(Local0, zero, "STTS"),
                CreateDWordField(Local0, Int(4), "SLSA"),
                CreateDWordField(Local0, Int(8), "MAXT"),
                Store(new AmlPackage(Path("STTS"), Path("SLSA"), Path("MAXT")), Local1),
                Return(Local1),
            },
            new AmlMethod("_LSR", 2, serialized: true)
            {
                Name("INPT", AmlBuffer.Zeroed(8)),
                CreateDWordField(Path("INPT"), zero, "OFST"),
                CreateDWordField(Path("INPT"), Int(4), "LEN"),
                Store(Arg0, Path("OFST")),
                Store(Arg1, Path("LEN")),
                Store(new AmlPackage(Path("INPT")), Local0),
                Store(Call("NCAL", NvdimmDeviceUuidBuffer, one, Int(5), Local0, handle), Local3),
                CreateDWordField(Local3, zero, "STTS"),
                CreateField(Local3, Int(32), ShiftLeft(Path("LEN"), Int(3)), "LDAT"),
                Name("LSA", AmlBuffer.Empty),
                ToBuffer(Path("LDAT"), Path("LSA")),
                Store(new AmlPackage(Path("STTS"), Path("LSA")), Local1),
                Return(Local1),
            },
            new AmlMethod("_LSW", 3, serialized: true)
            {
                Store(Arg2, Local2),
                Name("INPT", AmlBuffer.Zeroed(8)),
                CreateDWordField(Path("INPT"), zero, "OFST"),
                CreateDWordField(Path("INPT"), Int(4), "TLEN"),
                Store(Arg0, Path("OFST")),
                Store(Arg1, Path("TLEN")),
                Concatenate(Path("INPT"), Local2, Path("INPT")),
                Store(new AmlPackage(Path("INPT")), Local0),
                Store(Call("NCAL", NvdimmDeviceUuidBuffer, one, Int(6), Local0, handle), Local3),
                CreateDWordField(Local3, zero, "STTS"),
                Return(Path("STTS")),
            },
            new AmlMethod("_DSM", 4, serialized: false)
            {
                Return(Call("NCAL", Arg0, Arg1, Arg2, Arg3, handle)),
            },
        };
    }
}
