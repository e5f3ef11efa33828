using Vnvdimm.Tests.TestSupport;
using CsCheck;
using Vnvdimm.Guest.Acpi;
using static Vnvdimm.Tests.Guest.Acpi.AmlAsm;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>Corrupted and random AML must fail with AmlException (or work), never with another exception or a crash.</summary>
public sealed class AmlFuzzTests
{
    private static readonly AmlInterpreterOptions Options = new() { LoopTimeout = TimeSpan.FromMilliseconds(5), MaxCallDepth = 64 };

    [Fact]
    public void Mutated_qemu_ssdts_fail_only_with_aml_exceptions()
    {
        byte[] original = ReferenceData.Read("s1", "SSDT");
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var random = new Random(seed);
            byte[] table = (byte[])original.Clone();
            int flips = random.Next(1, 6);
            for (int i = 0; i < flips; i++)
            {
                table[random.Next(36, table.Length)] = (byte)random.Next(256);
            }
            FixChecksum(table);
            Exercise(table);
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void Random_method_bodies_fail_only_with_aml_exceptions()
    {
        Gen.Byte.Array[0, 64].Sample(body =>
        {
            Exercise(Ssdt(Name("BUF0", Buf(1, 2, 3, 4)), Region("MEM0", 0, DWord(0x1_0000), Int(64)), Field("MEM0", 0x03, ("FLD0", 32)), Method("TEST", 2, false, body)));
        }, iter: 3000, threads: 1);
    }

    private static void Exercise(byte[] table)
    {
        var interpreter = new AmlInterpreter(new FakeNvdimmPlatform(), Options);
        if (!Try(() => interpreter.LoadTable(table)))
        {
            return;
        }
        var intel = new AcpiBuffer(Convert.FromHexString("30AC0943110DE41191910800200C9A66"));
        var one = new AcpiInteger(1);
        Try(() => interpreter.Evaluate(@"\TEST", one, new AcpiPackage(intel)));
        Try(() => interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", intel, one, new AcpiInteger(0), new AcpiPackage()));
        Try(() => interpreter.Evaluate(@"\_SB.NVDR.NV00._DSM", intel, one, new AcpiInteger(5), new AcpiPackage(new AcpiBuffer(new byte[8]))));
        Try(() => interpreter.Evaluate(@"\_SB.NVDR.NV00._LSI"));
        Try(() => interpreter.Evaluate(@"\_SB.NVDR.NV00._LSR", new AcpiInteger(0), new AcpiInteger(16)));
        Try(() => interpreter.Evaluate(@"\_SB.NVDR.NV00._LSW", new AcpiInteger(0), new AcpiInteger(4), new AcpiBuffer([1, 2, 3, 4])));
        Try(() => interpreter.Evaluate(@"\_SB.NVDR._FIT"));
    }

    private static bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (AmlException)
        {
            return false;
        }
    }
}
