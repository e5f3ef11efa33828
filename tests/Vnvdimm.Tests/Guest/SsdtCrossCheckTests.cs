using System.Buffers.Binary;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Guest.Acpi;
using Vnvdimm.Guest.Hardware;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.Host.Backends;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Guest;

/// <summary>
/// QEMU 7.2's own NVDIMM SSDT (from each capture, MEMA patched to the machine's DSM page) and the
/// SSDT vnvdimm's firmware placed, run through the interpreter against the same vnvdimm machine,
/// return the same for every _DSM function, _LSI/_LSR/_LSW and _FIT — and leave the same label area.
/// </summary>
public sealed class SsdtCrossCheckTests(ITestOutputHelper output)
{
    private static readonly byte[] IntelUuid = Guid.Parse("4309ac30-0d11-11e4-9191-0800200c9a66").ToByteArray();
    private static readonly byte[] RootUuid = Guid.Parse("2f10e7a4-9e91-11e4-89d3-123b93f75cba").ToByteArray();
    private static readonly byte[] PrivateUuid = Guid.Parse("648b9cf2-cda1-4312-8ad9-49c4af32bd62").ToByteArray();

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in new[] { "s1", "s2", "s3", "s4", "hotplug" })
        {
            data.Add(name, 32);
            data.Add(name, 64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Qemus_ssdt_and_vnvdimms_give_the_same_results(string name, int width)
    {
        using var scratch = new ScratchDirectory("vnvdimm-crosscheck-");
        using VirtualMachine machine = VirtualMachine.Create(GuestReferenceCases.Arguments(name, scratch.Path), new StderrSink(_ => { }, _ => { }));
        FirmwareHandoff handoff = BuiltInFirmware.Boot(machine);
        byte[] ours = handoff.Tables.Find("SSDT")!.Bytes;
        byte[] qemus = PatchMema(File.ReadAllBytes(Path.Combine(ReferenceData.Case(name), "SSDT")), (uint)handoff.Tables.DsmPage!.Value.Value);
        List<NvdimmDevice> dimms = [.. machine.Nvdimms];
        byte[][] initial = [.. dimms.Select(d => LabelArea(d))];

        (List<string> qemuResults, byte[][] qemuLabels) = Exercise(machine, qemus, width, dimms);
        for (int i = 0; i < dimms.Count; i++)
        {
            RestoreLabelArea(dimms[i], initial[i]);
        }
        (List<string> ourResults, byte[][] ourLabels) = Exercise(machine, ours, width, dimms);

        qemuResults.ForEach(r => output.WriteLine(r.Length > 160 ? r[..160] + "…" : r));
        Assert.Equal(qemuResults, ourResults);
        for (int i = 0; i < dimms.Count; i++)
        {
            Assert.Equal(qemuLabels[i], ourLabels[i]);
        }
        // The comparison is only worth something if the calls did reach the device.
        Assert.Contains(qemuResults, r => r.StartsWith(@"\_SB.NVDR._FIT() = Buffer(", StringComparison.Ordinal) && !r.EndsWith("Buffer(0){}", StringComparison.Ordinal));
        if (dimms.Any(d => d.LabelSize > 0))
        {
            Assert.Contains(qemuResults, r => r.Contains(" = Buffer(4080){00000000", StringComparison.Ordinal));
        }
    }

    private static byte[] LabelArea(NvdimmDevice dimm) =>
        dimm.LabelSize == 0 ? [] : dimm.Backend!.ReadBytes(dimm.LabelAreaOffset, (int)dimm.LabelSize);

    private static void RestoreLabelArea(NvdimmDevice dimm, byte[] contents)
    {
        if (dimm.LabelSize > 0)
        {
            dimm.Backend!.Write(dimm.LabelAreaOffset, contents);
        }
    }

    // MEMA is `08 'MEMA' 0C dword`: write the page address and fix the checksum, as the firmware would.
    private static byte[] PatchMema(byte[] ssdt, uint page)
    {
        byte[] pattern = [0x08, (byte)'M', (byte)'E', (byte)'M', (byte)'A', 0x0C];
        int at = ssdt.AsSpan().IndexOf(pattern);
        Assert.True(at > 0, "no MEMA in the SSDT");
        BinaryPrimitives.WriteUInt32LittleEndian(ssdt.AsSpan(at + pattern.Length), page);
        AcpiChecksum.Update(ssdt, SdtHeaderLayout.ChecksumOffset);
        return ssdt;
    }

    private static (List<string> Results, byte[][] Labels) Exercise(VirtualMachine machine, byte[] ssdt, int width, List<NvdimmDevice> dimms)
    {
        var aml = new AmlInterpreter(new AmlHardwarePlatform(new PlatformBusHardware(machine.Bus)), new AmlInterpreterOptions { InitialIntegerWidth = width });
        aml.LoadTable(ssdt);
        var results = new List<string>();
        void Call(string path, params AcpiObject[] args)
        {
            string result;
            try
            {
                result = Describe(aml.Evaluate(path, args));
            }
            catch (AmlException e)
            {
                // Where QEMU's AML itself fails (e.g. _LSR after an error status), both must fail alike.
                result = "error " + e.Message.Split(':')[0];
            }
            results.Add($"{path}({string.Join(", ", args.Select(Describe))}) = {result}");
        }
        AcpiBuffer Bytes(params byte[] bytes) => new(bytes);
        AcpiInteger Int(ulong value) => new(value);
        AcpiPackage Arg(params byte[] bytes) => new(new AcpiBuffer(bytes));
        byte[] Dwords(params uint[] values) => [.. values.SelectMany(BitConverter.GetBytes)];

        Call(@"\_SB.NVDR._FIT");
        Call(@"\_SB.NVDR._DSM", Bytes(RootUuid), Int(1), Int(0), new AcpiPackage());
        Call(@"\_SB.NVDR._DSM", Bytes(RootUuid), Int(1), Int(1), new AcpiPackage());
        Call(@"\_SB.NVDR._DSM", Bytes(PrivateUuid), Int(1), Int(1), Arg(Dwords(0)));
        Call(@"\_SB.NVDR.RFIT", Int(0));
        Call(@"\_SB.NVDR.RFIT", Int(100000));
        int slots = aml.GetChildren(@"\_SB.NVDR").Count(p => p.StartsWith(@"\_SB.NVDR.NV", StringComparison.Ordinal));
        var data = new byte[300];
        new Random(11).NextBytes(data);
        for (int slot = 0; slot < slots; slot++)
        {
            string dev = $@"\_SB.NVDR.NV{slot:X2}";
            Call(dev + "._ADR");
            foreach (ulong function in new ulong[] { 0, 1, 4, 7 })
            {
                Call(dev + "._DSM", Bytes(IntelUuid), Int(1), Int(function), new AcpiPackage());
            }
            Call(dev + "._DSM", Bytes(IntelUuid), Int(2), Int(0), new AcpiPackage());
            Call(dev + "._DSM", Bytes(RootUuid), Int(1), Int(0), new AcpiPackage());
            Call(dev + "._DSM", Bytes(IntelUuid), Int(1), Int(5), Arg(Dwords(0, 4076)));
            Call(dev + "._DSM", Bytes(IntelUuid), Int(1), Int(5), Arg(Dwords(0x1F000, 0x1000)));
            Call(dev + "._DSM", Bytes(IntelUuid), Int(1), Int(5), Arg(Dwords(0, 4077)));
            Call(dev + "._DSM", Bytes(IntelUuid), Int(1), Int(5), Arg(Dwords(16, 0)));
            Call(dev + "._DSM", Bytes(IntelUuid), Int(1), Int(6), Arg([.. Dwords(0x200, (uint)data.Length), .. data]));
            Call(dev + "._DSM", Bytes(IntelUuid), Int(1), Int(6), Arg([.. Dwords(0x1FFFC, 8), .. data[..8]]));
            Call(dev + "._DSM", Bytes(IntelUuid), Int(1), Int(5), Arg(Dwords(0x200, 16)));
            Call(dev + "._LSI");
            Call(dev + "._LSR", Int(0), Int(256));
            Call(dev + "._LSR", Int(0x1FFF0), Int(16));
            Call(dev + "._LSW", Int(0x1000), Int(64), Bytes(data[..64]));
            Call(dev + "._LSW", Int(0x20000), Int(4), Bytes(data[..4]));
            Call(dev + "._LSR", Int(0x1000), Int(64));
        }
        return (results, [.. dimms.Select(d => LabelArea(d))]);
    }

    private static string Describe(AcpiObject? value) => value switch
    {
        null => "none",
        AcpiInteger integer => $"0x{integer.Value:X}",
        AcpiBuffer buffer => $"Buffer({buffer.Length}){{{Convert.ToHexString(buffer.Span)}}}",
        AcpiPackage package => $"Package{{{string.Join(", ", package.Elements.Select(Describe))}}}",
        AcpiString text => $"\"{text.Value}\"",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
