using Vnvdimm.Guest.Acpi;
using Vnvdimm.Guest.Kernel;

namespace Vnvdimm.Guest.Nfit;

/// <summary>acpi_evaluate_dsm and acpi_check_dsm: <c>_DSM(uuid, revision, function, Package)</c> on a device.</summary>
internal static class AcpiDsm
{
    /// <summary>The _DSM's result, or null when the device has none or evaluating it failed (logged as Linux logs it).</summary>
    public static AcpiObject? Evaluate(AmlInterpreter aml, KernelLog log, string device, Guid uuid, ulong revision, ulong function, AcpiPackage? argument = null)
    {
        string method = device + "._DSM";
        if (!aml.Exists(method))
        {
            return null;
        }
        try
        {
            return aml.Evaluate(method, new AcpiBuffer(uuid.ToByteArray()), new AcpiInteger(revision), new AcpiInteger(function), argument ?? new AcpiPackage());
        }
        catch (AmlException e)
        {
            log.Write($"ACPI: {device}: failed to evaluate _DSM {uuid} ({e.Message})");
            return null;
        }
    }

    /// <summary>Function 0's mask has bit 0 and every bit of <paramref name="functions"/> set.</summary>
    public static bool Check(AmlInterpreter aml, KernelLog log, string device, Guid uuid, ulong revision, ulong functions)
    {
        if (functions == 0)
        {
            return false;
        }
        ulong mask = Evaluate(aml, log, device, uuid, revision, 0) switch
        {
            // Old firmware may return an Integer.
            AcpiInteger integer => integer.Value,
            AcpiBuffer buffer => Mask(buffer.Span),
            _ => 0,
        };
        return (mask & 1) != 0 && (mask & functions) == functions;
    }

    private static ulong Mask(ReadOnlySpan<byte> bytes)
    {
        ulong mask = 0;
        for (int i = 0; i < bytes.Length && i < 8; i++)
        {
            mask |= (ulong)bytes[i] << (8 * i);
        }
        return mask;
    }
}
