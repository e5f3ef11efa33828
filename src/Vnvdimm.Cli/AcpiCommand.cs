using Vnvdimm.Host.Acpi;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Cli;

/// <summary>
/// vnvdimm acpi [QEMU options] --out DIR [--dsm-page ADDR]: builds the machine and writes the
/// NVDIMM tables as the guest holds them after the built-in firmware ran.
/// </summary>
public static class AcpiCommand
{
    public static int Run(string[] args, TextWriter stdout, StderrSink sink)
    {
        var machineArgs = new List<string>();
        string? outDir = null;
        GuestAddress? dsmPage = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out":
                    outDir = i + 1 < args.Length ? args[++i] : throw new QemuOptionException("requires an argument", "acpi --out");
                    break;
                case "--dsm-page":
                    string text = i + 1 < args.Length ? args[++i] : throw new QemuOptionException("requires an argument", "acpi --dsm-page");
                    dsmPage = new GuestAddress(QemuValue.TryParseSize(text, 1, out ulong address)
                        ? address
                        : throw new QemuOptionException($"'{text}' is not an address", "acpi --dsm-page"));
                    break;
                default:
                    machineArgs.Add(args[i]);
                    break;
            }
        }
        if (outDir is null)
        {
            throw new QemuOptionException("--out DIR is required", "acpi");
        }

        using VirtualMachine machine = VirtualMachine.Create(machineArgs, sink);
        AcpiMachineDescription description = VirtualMachineAcpi.Describe(machine);
        if (description.Slots == 0)
        {
            throw new QemuOptionException("the machine has no NVDIMM tables: it needs -machine nvdimm=on and -m slots=N", "acpi");
        }
        try
        {
            AcpiTablesWritten written = AcpiTableWriter.Write(description, machine.Layout.BelowFourGiB, dsmPage, outDir);
            foreach (string file in written.Files)
            {
                stdout.WriteLine(file);
            }
        }
        catch (Exception e) when (e is ArgumentException or Host.Firmware.FirmwareLoaderException)
        {
            throw new QemuOptionException(e.Message, "acpi");
        }
        return 0;
    }
}
