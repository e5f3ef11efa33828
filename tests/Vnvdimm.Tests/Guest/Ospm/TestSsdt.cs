using Vnvdimm.Formats.Aml;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Console;
using Vnvdimm.Host.Acpi;
using static Vnvdimm.Formats.Aml.AmlArg;
using static Vnvdimm.Formats.Aml.AmlLocal;
using static Vnvdimm.Formats.Aml.Asl;

namespace Vnvdimm.Tests.Guest.Ospm;

/// <summary>Hand-made NVDIMM SSDTs for driving the guest's NFIT driver through cases QEMU's tables never show.</summary>
internal static class TestSsdt
{
    /// <summary>Where <see cref="FitFromMemory"/> reads the FIT: a u32 length, then the structures.</summary>
    public const ulong FitAddress = 0x180000;

    public const string HyperVUuid = "5746c5f2-a9a2-4264-ad0e-e4ddc9e09e80";

    /// <summary><c>Scope(\_SB) { Device(NVDR) { Name(_HID, "ACPI0012") … } }</c> in an SSDT.</summary>
    public static byte[] Ssdt(params AmlObject[] rootTerms)
    {
        var root = new AmlDevice("NVDR") { Name("_HID", new AmlString(LinuxGuest.NvdimmRootHid)) };
        root.AddRange(rootTerms);
        return GuestTestFirmware.Table("SSDT", 1, new AmlScope("\\_SB") { root });
    }

    /// <summary><c>Device(NVxx) { Name(_ADR, slot + 1) … }</c>.</summary>
    public static AmlDevice Dimm(int slot, params AmlObject[] terms)
    {
        var device = new AmlDevice($"NV{slot:X2}") { Name("_ADR", Int((ulong)slot + 1)) };
        device.AddRange(terms);
        return device;
    }

    public static AmlMethod FitReturning(AmlObject value) => new("_FIT", 0, serialized: true) { Return(value) };

    /// <summary>A <c>_FIT</c> that returns the FIT a test wrote at <see cref="FitAddress"/> (u32 length, bytes).</summary>
    public static AmlObject[] FitFromMemory()
    {
        var field = new AmlField("FITR", AmlFieldAccessType.DWordAcc, AmlFieldLockRule.NoLock, AmlFieldUpdateRule.Preserve)
        {
            { "FLEN", 32 },
            { "FBUF", 0x1000 * 8 },
        };
        return
        [
            new AmlOperationRegion("FITR", AmlRegionSpace.SystemMemory, Int(FitAddress), Int(0x1004)),
            field,
            new AmlMethod("_FIT", 0, serialized: true)
            {
                Store(Path("FBUF"), Local0),
                CreateField(Local0, Int(0), ShiftLeft(Path("FLEN"), Int(3)), "FDAT"),
                Return(ToBuffer(Path("FDAT"))),
            },
        ];
    }

    /// <summary>
    /// A DIMM speaking the Hyper-V _DSM family (function 0 only) with ACPI 6.2 label methods over
    /// an AML buffer: Linux then reads and writes labels through _LSI/_LSR/_LSW.
    /// </summary>
    public static AmlObject[] LabelMethods(byte[] labelArea, uint maxTransfer, bool withDsmFamily = true, bool withLsw = true)
    {
        var dsm = new AmlMethod("_DSM", 4, serialized: false);
        if (withDsmFamily)
        {
            dsm.Add(new AmlIf(LEqual(Arg0, ToUuid(HyperVUuid))) { new AmlIf(LEqual(Arg2, Int(0))) { Return(new AmlBuffer([0x01])) } });
        }
        dsm.Add(Return(new AmlBuffer([0x00])));
        var terms = new List<AmlObject>
        {
            dsm,
            Name("LSA_", new AmlBuffer(labelArea)),
            Name("RPKG", new AmlPackage(Int(0), Int(0))),
            Name("NLSR", Int(0)),
            new AmlMethod("_LSI", 0, serialized: true) { Return(new AmlPackage(Int(0), Int((ulong)labelArea.Length), Int(maxTransfer))) },
            new AmlMethod("_LSR", 2, serialized: true)
            {
                Increment(Path("NLSR")),
                CreateField(Path("LSA_"), ShiftLeft(Arg0, Int(3)), ShiftLeft(Arg1, Int(3)), "LDAT"),
                Store(ToBuffer(Path("LDAT")), Index(Path("RPKG"), Int(1))),
                Return(Path("RPKG")),
            },
        };
        if (withLsw)
        {
            terms.Add(new AmlMethod("_LSW", 3, serialized: true)
            {
                CreateField(Path("LSA_"), ShiftLeft(Arg0, Int(3)), ShiftLeft(Arg1, Int(3)), "WDAT"),
                Store(Arg2, Path("WDAT")),
                Return(Int(0)),
            });
        }
        return [.. terms];
    }

    /// <summary>The FIT vnvdimm builds for NVDIMMs of 128 MiB in <paramref name="slots"/>, one after another from 4 GiB.</summary>
    public static byte[] Fit(params int[] slots) => NfitBuilder.BuildFit(Machine(slots));

    public static byte[] NfitTable(params int[] slots) => NfitBuilder.BuildTable(Machine(slots));

    private static AcpiMachineDescription Machine(int[] slots) => new(
        4,
        NvdimmPersistence.None,
        [.. slots.Select(slot => new NvdimmAcpiDevice(slot, 0x1_0000_0000UL + ((ulong)slot * 0x1000_0000UL), 0x800_0000UL, 0, false, 0))]);

    /// <summary>Runs a command in the guest's shell; fails on anything written to stderr.</summary>
    public static string Run(LinuxGuest guest, string command)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        new GuestShell(guest).Execute(command, stdout, stderr);
        Assert.Equal(string.Empty, stderr.ToString());
        return stdout.ToString();
    }
}
