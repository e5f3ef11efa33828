using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Cli;

/// <summary>vnvdimm acpi [QEMU options] --out DIR [--dsm-page ADDR]: writes the tables the guest holds.</summary>
public static class AcpiCommand
{
    public static int Run(string[] args, TextWriter stdout, StderrSink sink)
    {
        _ = stdout;
        _ = sink;
        _ = args;
        throw new QemuOptionException("acpi: not available in this version");
    }
}
