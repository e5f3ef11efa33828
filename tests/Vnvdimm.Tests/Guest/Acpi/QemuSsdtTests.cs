using System.Buffers.Binary;
using Vnvdimm.Guest.Acpi;
using static Vnvdimm.Tests.Guest.Acpi.AmlAsm;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>
/// QEMU 7.2's own NVDIMM SSDTs (shared/reference/qemu-7.2/*/SSDT), run through the interpreter against
/// a fake of QEMU's DSM mailbox. Each test runs with 64-bit integers and with the 32-bit integers a
/// revision-1 DSDT (QEMU's) gives, which is how Linux runs these tables.
/// </summary>
public sealed class QemuSsdtTests
{
    private static readonly byte[] IntelUuid = Convert.FromHexString("30AC0943110DE4119191080020 0C9A66".Replace(" ", ""));
    private static readonly byte[] RootUuid = Convert.FromHexString("A4E7102F919EE41189D3123B93F75CBA");
    private static readonly byte[] PrivateUuid = Convert.FromHexString("F29C8B64A1CD12438AD949C4AF32BD62");

    public static TheoryData<int> Widths => new() { 32, 64 };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_reference_ssdt_loads_with_the_namespace_qemu_describes(string name)
    {
        byte[] ssdt = ReferenceTables.Ssdt(name);
        var interpreter = new AmlInterpreter(new FakeNvdimmPlatform());
        interpreter.LoadTable(ssdt);

        Assert.Equal(AcpiObjectType.Device, interpreter.GetObjectType(@"\_SB.NVDR"));
        Assert.Equal("ACPI0012", Assert.IsType<AcpiString>(interpreter.Evaluate(@"\_SB.NVDR._HID")).Value);
        foreach (string method in new[] { "NCAL", "_DSM", "RFIT", "_FIT" })
        {
            Assert.Equal(AcpiObjectType.Method, interpreter.GetObjectType(@"\_SB.NVDR." + method));
        }
        Assert.Equal(0x1FFF_F000UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\MEMA")).Value);
        string[] dimms = interpreter.GetChildren(@"\_SB.NVDR").Where(p => p.StartsWith(@"\_SB.NVDR.NV", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(dimms);
        for (int slot = 0; slot < dimms.Length; slot++)
        {
            Assert.Equal($@"\_SB.NVDR.NV{slot:X2}", dimms[slot]);
            Assert.Equal((ulong)slot + 1, Assert.IsType<AcpiInteger>(interpreter.Evaluate(dimms[slot] + "._ADR")).Value);
            foreach (string method in new[] { "_LSI", "_LSR", "_LSW", "_DSM" })
            {
                Assert.Equal(AcpiObjectType.Method, interpreter.GetObjectType(dimms[slot] + "." + method));
            }
        }
    }

    public static TheoryData<string> Cases() => ReferenceTables.CaseData();

    [Theory]
    [MemberData(nameof(Widths))]
    public void Dsm_function_0_returns_the_mask_as_a_4_byte_buffer(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);

        AcpiObject? result = interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", Uuid(IntelUuid), Int(1), Int(0), new AcpiPackage());

        Assert.Equal(new byte[] { 0x71, 0, 0, 0 }, Assert.IsType<AcpiBuffer>(result).ToArray());
        DsmRequest request = Assert.Single(device.Requests);
        Assert.Equal((1u, 1u, 0u), (request.Handle, request.Revision, request.Function));
        Assert.Equal((FakeNvdimmPlatform.MailboxPort, 4, (uint)FakeNvdimmPlatform.DsmPage), Assert.Single(device.PortWrites));
    }

    private static (AmlInterpreter, FakeNvdimmPlatform) Boot(int width, string name = "s1")
    {
        var device = new FakeNvdimmPlatform();
        var interpreter = new AmlInterpreter(device, new AmlInterpreterOptions { InitialIntegerWidth = width });
        interpreter.LoadTable(ReferenceTables.Ssdt(name));
        return (interpreter, device);
    }

    private static AcpiBuffer Uuid(byte[] bytes) => new(bytes);

    private static AcpiInteger Int(ulong value) => new(value);
}
