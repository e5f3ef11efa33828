using Vnvdimm.Tests.TestSupport;
using System.Buffers.Binary;
using Vnvdimm.Guest.Acpi;
using static Vnvdimm.Tests.Guest.Acpi.AmlAsm;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>
/// QEMU 7.2's own NVDIMM SSDTs (shared/reference/qemu-7.2/*/SSDT), run through the interpreter against
/// a fake of QEMU's DSM mailbox. Width-dependent tests run with 64-bit integers and with the 32-bit
/// integers QEMU's revision-1 DSDT gives, which is how Linux runs these tables.
/// </summary>
public sealed class QemuSsdtTests
{
    private static readonly byte[] IntelUuid = Convert.FromHexString("30AC0943110DE41191910800200C9A66");
    private static readonly byte[] RootUuid = Convert.FromHexString("A4E7102F919EE41189D3123B93F75CBA");
    private static readonly byte[] PrivateUuid = Convert.FromHexString("F29C8B64A1CD12438AD949C4AF32BD62");

    public static TheoryData<int> Widths => new() { 32, 64 };

    public static TheoryData<string> Cases() => ReferenceData.CaseData();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_reference_ssdt_loads_with_the_namespace_qemu_describes(string name)
    {
        var interpreter = new AmlInterpreter(new FakeNvdimmPlatform());
        interpreter.LoadTable(ReferenceData.Read(name, "SSDT"));

        Assert.Equal(AcpiObjectType.Device, interpreter.GetObjectType(@"\_SB.NVDR"));
        Assert.Equal("ACPI0012", Assert.IsType<AcpiString>(interpreter.Evaluate(@"\_SB.NVDR._HID")).Value);
        foreach (string method in new[] { "NCAL", "_DSM", "RFIT", "_FIT" })
        {
            Assert.Equal(AcpiObjectType.Method, interpreter.GetObjectType(@"\_SB.NVDR." + method));
        }
        Assert.Equal(0UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\_SB.NVDR.RSTA")).Value);
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

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_reference_ssdt_answers_dsm_and_label_methods(string name)
    {
        var device = new FakeNvdimmPlatform();
        var interpreter = new AmlInterpreter(device);
        interpreter.LoadTable(ReferenceData.Read(name, "SSDT"));

        Assert.Equal([0x71, 0, 0, 0], Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(IntelUuid), Integer(1), Integer(0), new AcpiPackage())));
        AssertPackage(interpreter.Evaluate(@"\_SB.NVDR.NV00._LSI"), 0, 0x2_0000, 4076);
        var read = Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\_SB.NVDR.NV00._LSR", Integer(16), Integer(32)));
        Assert.Equal(device.Labels.AsSpan(16, 32).ToArray(), Bytes(read[1]));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Dsm_function_0_returns_the_mask_as_a_4_byte_buffer(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);

        AcpiObject? result = interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(IntelUuid), Integer(1), Integer(0), new AcpiPackage());

        Assert.Equal([0x71, 0, 0, 0], Bytes(result));
        DsmRequest request = Assert.Single(device.Requests);
        Assert.Equal((1u, 1u, 0u), (request.Handle, request.Revision, request.Function));
        Assert.Equal((FakeNvdimmPlatform.MailboxPort, 4, (uint)FakeNvdimmPlatform.DsmPage), Assert.Single(device.PortWrites));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Dsm_function_4_returns_status_size_and_max_transfer(int width)
    {
        (AmlInterpreter interpreter, _) = Boot(width);

        byte[] result = Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(IntelUuid), Integer(1), Integer(4), new AcpiPackage()));

        Assert.Equal(Dwords(0, 0x2_0000, 4076), result);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Dsm_function_5_returns_status_and_label_data(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);

        byte[] result = Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(IntelUuid), Integer(1), Integer(5), new AcpiPackage(BufferOf(Dwords(0x1000, 4076)))));

        Assert.Equal(4 + 4076, result.Length);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(result));
        Assert.Equal(device.Labels.AsSpan(0x1000, 4076).ToArray(), result[4..]);
        // The 8-byte input went to FARG, zero-filled after it (store-to-field rule).
        DsmRequest request = Assert.Single(device.Requests);
        Assert.Equal(Dwords(0x1000, 4076), request.Argument[..8]);
        Assert.All(request.Argument[8..], b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Dsm_function_6_writes_label_data(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);
        byte[] data = Enumerable.Range(0, 100).Select(i => (byte)(0xA0 ^ i)).ToArray();

        byte[] result = Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(IntelUuid), Integer(1), Integer(6), new AcpiPackage(BufferOf([.. Dwords(0x200, 100), .. data]))));

        Assert.Equal(Dwords(0), result);
        Assert.Equal(data, device.Labels.AsSpan(0x200, 100).ToArray());
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Lsi_returns_status_size_and_max_transfer(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);

        AssertPackage(interpreter.Evaluate(@"\_SB.NVDR.NV00._LSI"), 0, 0x2_0000, 4076);

        DsmRequest request = Assert.Single(device.Requests);
        Assert.Equal((1u, 1u, 4u), (request.Handle, request.Revision, request.Function));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Lsr_returns_status_and_a_buffer_of_the_label_bytes(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);

        var result = Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\_SB.NVDR.NV00._LSR", Integer(0), Integer(256)));

        Assert.Equal(2, result.Count);
        Assert.Equal(0UL, Assert.IsType<AcpiInteger>(result[0]).Value);
        Assert.Equal(device.Labels.AsSpan(0, 256).ToArray(), Assert.IsType<AcpiBuffer>(result[1]).ToArray());
        DsmRequest request = Assert.Single(device.Requests);
        Assert.Equal((1u, 5u), (request.Handle, request.Function));
        Assert.Equal(Dwords(0, 256), request.Argument[..8]);
    }

    [Fact]
    public void Lsr_reads_a_whole_maximum_transfer()
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(32);

        var result = Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\_SB.NVDR.NV00._LSR", Integer(0x2_0000 - 4076), Integer(4076)));

        Assert.Equal(device.Labels.AsSpan(0x2_0000 - 4076).ToArray(), Bytes(result[1]));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Lsw_returns_status_and_the_device_sees_offset_length_and_data(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);
        byte[] data = Enumerable.Range(0, 64).Select(i => (byte)(i + 1)).ToArray();

        AcpiObject? result = interpreter.Evaluate(@"\_SB.NVDR.NV00._LSW", Integer(0x100), Integer(64), BufferOf(data));

        Assert.Equal(0UL, Assert.IsType<AcpiInteger>(result).Value);
        DsmRequest request = Assert.Single(device.Requests);
        Assert.Equal((1u, 1u, 6u), (request.Handle, request.Revision, request.Function));
        Assert.Equal([.. Dwords(0x100, 64), .. data], request.Argument[..72]);
        Assert.Equal(data, device.Labels.AsSpan(0x100, 64).ToArray());
    }

    // _LSW grows INPT with Concatenate (INPT, Local2, INPT). ACPICA copies a buffer stored into a named
    // 8-byte buffer in place, truncating it, so under Linux the data never reaches QEMU: it writes zeros.
    [Fact]
    public void Lsw_under_acpica_store_rules_sends_only_offset_and_length()
    {
        var device = new FakeNvdimmPlatform();
        var interpreter = new AmlInterpreter(device, new AmlInterpreterOptions { AcpicaBufferStoreTruncation = true });
        interpreter.LoadTable(ReferenceData.Read("s1", "SSDT"));
        byte[] data = Enumerable.Range(0, 64).Select(i => (byte)(i + 1)).ToArray();

        Assert.Equal(0UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\_SB.NVDR.NV00._LSW", Integer(0x100), Integer(64), BufferOf(data))).Value);

        DsmRequest request = Assert.Single(device.Requests);
        Assert.Equal(Dwords(0x100, 64), request.Argument[..8]);
        Assert.All(request.Argument[8..72], b => Assert.Equal(0, b));
        Assert.All(device.Labels.AsSpan(0x100, 64).ToArray(), b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fit_concatenates_read_fit_chunks(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);
        device.Fit = Pattern(10_000, 3);

        AcpiObject? result = interpreter.Evaluate(@"\_SB.NVDR._FIT");

        Assert.Equal(device.Fit, Bytes(result));
        Assert.All(device.Requests, r => Assert.Equal((0x10000u, 1u, 1u), (r.Handle, r.Revision, r.Function)));
        Assert.Equal([0u, 4088u, 8176u, 10000u], device.Requests.Select(r => BinaryPrimitives.ReadUInt32LittleEndian(r.Argument)));
        Assert.Equal(0UL, Assert.IsType<AcpiInteger>(interpreter.Evaluate(@"\_SB.NVDR.RSTA")).Value);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fit_restarts_from_zero_when_the_fit_changes_mid_read(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);
        device.Fit = Pattern(6_000, 5);
        byte[] grown = Pattern(9_000, 11);
        bool plugged = false;
        device.BeforeReadFit = offset =>
        {
            if (offset == FakeNvdimmPlatform.FitChunk && !plugged)
            {
                // A hotplug between two chunks: new FIT, dirty flag set.
                plugged = true;
                device.Fit = grown;
                device.FitDirty = true;
            }
        };

        AcpiObject? result = interpreter.Evaluate(@"\_SB.NVDR._FIT");

        Assert.Equal(grown, Bytes(result));
        Assert.Equal([0u, 4088u, 0u, 4088u, 8176u, 9000u], device.Requests.Select(r => BinaryPrimitives.ReadUInt32LittleEndian(r.Argument)));
    }

    [Fact]
    public void Fit_of_an_empty_fit_is_an_empty_buffer()
    {
        (AmlInterpreter interpreter, _) = Boot(64);

        Assert.Empty(Bytes(interpreter.Evaluate(@"\_SB.NVDR._FIT")));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Wrong_uuid_returns_one_byte_buffers_without_calling_the_device(int width)
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(width);

        Assert.Equal([0x01], Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(RootUuid), Integer(1), Integer(4), new AcpiPackage())));
        Assert.Equal([0x00], Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(PrivateUuid), Integer(1), Integer(0), new AcpiPackage())));
        Assert.Equal([0x01], Bytes(interpreter.Evaluate(@"\_SB.NVDR._DSM", BufferOf(IntelUuid), Integer(1), Integer(1), new AcpiPackage())));

        Assert.Empty(device.Requests);
        Assert.Empty(device.PortWrites);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Unpatched_mema_returns_one_byte_buffers_without_calling_the_device(int width)
    {
        byte[] ssdt = ReferenceData.Read("s1", "SSDT");
        int mema = ssdt.AsSpan().IndexOf("MEMA\x0C"u8);
        Assert.True(mema > 0);
        ssdt.AsSpan(mema + 5, 4).Clear();
        FixChecksum(ssdt);
        var device = new FakeNvdimmPlatform();
        var interpreter = new AmlInterpreter(device, new AmlInterpreterOptions { InitialIntegerWidth = width });
        interpreter.LoadTable(ssdt);

        Assert.Equal([0x00], Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(IntelUuid), Integer(1), Integer(0), new AcpiPackage())));
        Assert.Equal([0x01], Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(IntelUuid), Integer(1), Integer(5), new AcpiPackage(BufferOf(Dwords(0, 8))))));
        Assert.Empty(device.PortWrites);
    }

    [Fact]
    public void Root_dsm_reports_no_functions_and_empty_slots_report_no_device()
    {
        (AmlInterpreter interpreter, _) = Boot(32);

        Assert.Equal(Dwords(0), Bytes(interpreter.Evaluate(@"\_SB.NVDR._DSM", BufferOf(RootUuid), Integer(1), Integer(0), new AcpiPackage())));
        Assert.Equal(Dwords(1), Bytes(interpreter.Evaluate(@"\_SB.NVDR._DSM", BufferOf(RootUuid), Integer(1), Integer(1), new AcpiPackage())));
        Assert.Equal(Dwords(0), Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV01._DSM", BufferOf(IntelUuid), Integer(1), Integer(0), new AcpiPackage())));
        Assert.Equal(Dwords(2), Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV01._DSM", BufferOf(IntelUuid), Integer(1), Integer(4), new AcpiPackage())));
        Assert.Equal(Dwords(1), Bytes(interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", BufferOf(IntelUuid), Integer(2), Integer(4), new AcpiPackage())));
    }

    // QEMU's _LSI/_LSR do not check the status: a 4-byte error reply makes their CreateDWordField /
    // CreateField overrun the buffer, which ACPICA reports as AE_AML_BUFFER_LIMIT, as here.
    [Fact]
    public void Lsi_on_an_empty_slot_overruns_the_status_only_reply()
    {
        (AmlInterpreter interpreter, _) = Boot(32);

        var error = Assert.Throws<AmlException>(() => interpreter.Evaluate(@"\_SB.NVDR.NV01._LSI"));

        Assert.StartsWith("AE_AML_BUFFER_LIMIT", error.Message, StringComparison.Ordinal);
        Assert.Equal("SSDT", error.TableSignature);
    }

    [Fact]
    public void E04_notifies_the_root_device_with_0x80()
    {
        var notifications = new List<(string, uint)>();
        var device = new FakeNvdimmPlatform();
        var interpreter = new AmlInterpreter(device, new AmlInterpreterOptions { NotifyHandler = (path, value) => notifications.Add((path, value)) });
        // DefinitionBlock ("", "DSDT", 1, …) { External (\_SB.NVDR, DeviceObj)
        //   Scope (\_GPE) { Method (_E04, 0, NotSerialized) { Notify (\_SB.NVDR, 0x80) } } }
        interpreter.LoadTable(Table("DSDT", 1,
            Op(0x15, NameString(@"\_SB.NVDR"), [0x06, 0x00]),
            Scope(@"\_GPE", Method("_E04", 0, false, Op(0x86, NameString(@"\_SB.NVDR"), Int(0x80))))));
        interpreter.LoadTable(ReferenceData.Read("hotplug", "SSDT"));
        Assert.Equal(32, interpreter.IntegerWidth);

        Assert.Null(interpreter.Evaluate(@"\_GPE._E04"));

        Assert.Equal((@"\_SB.NVDR", 0x80u), Assert.Single(notifications));
        Assert.Empty(device.PortWrites);
    }

    [Fact]
    public void A_notify_handler_may_evaluate_fit_as_linux_does()
    {
        var device = new FakeNvdimmPlatform { Fit = Pattern(5000, 9) };
        AmlInterpreter? interpreter = null;
        byte[]? fit = null;
        interpreter = new AmlInterpreter(device, new AmlInterpreterOptions
        {
            NotifyHandler = (path, value) => fit = Bytes(interpreter!.Evaluate(path + "._FIT")),
        });
        interpreter.LoadTable(Ssdt(Scope(@"\_GPE", Method("_E04", 0, false, Op(0x86, NameString(@"\_SB.NVDR"), Int(0x80))))));
        interpreter.LoadTable(ReferenceData.Read("s1", "SSDT"));

        interpreter.Evaluate(@"\_GPE._E04");

        Assert.Equal(device.Fit, fit);
    }

    // NCAL is Serialized: concurrent callers share one DSM page and must take turns.
    [Fact]
    public void Concurrent_label_reads_are_serialized_by_ncal()
    {
        (AmlInterpreter interpreter, FakeNvdimmPlatform device) = Boot(32);

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int offset = i * 1024;
            var result = Assert.IsType<AcpiPackage>(interpreter.Evaluate(@"\_SB.NVDR.NV00._LSR", Integer((ulong)offset), Integer(1024)));
            Assert.Equal(device.Labels.AsSpan(offset, 1024).ToArray(), Bytes(result[1]));
        });

        Assert.Equal(64, device.Requests.Count);
    }

    private static (AmlInterpreter Interpreter, FakeNvdimmPlatform Device) Boot(int width, string name = "s1")
    {
        var device = new FakeNvdimmPlatform();
        var interpreter = new AmlInterpreter(device, new AmlInterpreterOptions { InitialIntegerWidth = width });
        interpreter.LoadTable(ReferenceData.Read(name, "SSDT"));
        return (interpreter, device);
    }

    private static void AssertPackage(AcpiObject? value, params ulong[] integers)
    {
        var package = Assert.IsType<AcpiPackage>(value);
        Assert.Equal(integers, package.Elements.Select(e => Assert.IsType<AcpiInteger>(e).Value));
    }

    private static byte[] Bytes(AcpiObject? value) => Assert.IsType<AcpiBuffer>(value).ToArray();

    private static byte[] Dwords(params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }
        return bytes;
    }

    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)((i * seed) ^ (i >> 7))).ToArray();

    private static AcpiBuffer BufferOf(byte[] bytes) => new(bytes);

    private static AcpiInteger Integer(ulong value) => new(value);
}
