using Vnvdimm.Guest.Acpi;
using static Vnvdimm.Tests.Guest.Acpi.AmlAsm;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>Loads hand-assembled tables and runs \TEST.</summary>
internal static class AmlTestHost
{
    /// <summary>A revision-1 DSDT with nothing in it: loading it switches the interpreter to 32-bit integers.</summary>
    public static byte[] EmptyRevision1Dsdt => Table("DSDT", 1);

    public static AmlInterpreter Load(RecordingPlatform? platform = null, AmlInterpreterOptions? options = null, int width = 64, params byte[][] terms)
    {
        var interpreter = new AmlInterpreter(platform ?? new RecordingPlatform(), options);
        if (width == 32)
        {
            interpreter.LoadTable(EmptyRevision1Dsdt);
        }
        interpreter.LoadTable(Ssdt(terms));
        return interpreter;
    }

    /// <summary>Defines Method (TEST, 0) { body } at the root of an SSDT and evaluates it.</summary>
    public static AcpiObject? RunTest(params byte[][] body) => RunTest(64, body);

    public static AcpiObject? RunTest(int width, params byte[][] body) =>
        Load(width: width, terms: Method("TEST", 0, false, body)).Evaluate(@"\TEST");

    public static ulong RunInteger(params byte[][] body) => Assert.IsType<AcpiInteger>(RunTest(body)).Value;

    public static ulong RunInteger(int width, params byte[][] body) => Assert.IsType<AcpiInteger>(RunTest(width, body)).Value;

    public static byte[] RunBuffer(params byte[][] body) => Assert.IsType<AcpiBuffer>(RunTest(body)).ToArray();

    public static byte[] RunBuffer(int width, params byte[][] body) => Assert.IsType<AcpiBuffer>(RunTest(width, body)).ToArray();
}
