using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;

namespace Vnvdimm.Cli;

/// <summary>The vnvdimm command: a machine from QEMU options, or a verb (acpi, image).</summary>
public static class VnvdimmProgram
{
    public const string ProgramName = "vnvdimm";

    /// <summary>The demo machine: one file-backed NVDIMM with a 128 KiB label area, in a file under the current folder.</summary>
    public static readonly string[] DemoArguments =
    [
        "-machine", "pc,nvdimm=on",
        "-m", "512M,slots=4,maxmem=4G",
        "-object", "memory-backend-file,id=mem1,share=on,mem-path=vnvdimm-demo.img,size=256M",
        "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
    ];

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var sink = new StderrSink(text => stderr.WriteLine($"{ProgramName}: {text}"), stderr.WriteLine);
        try
        {
            if (args.Length > 0 && args[0] == "acpi")
            {
                return AcpiCommand.Run(args[1..], stdout, sink);
            }
            if (args.Length > 0 && args[0] == "image")
            {
                return ImageCommand.Run(args[1..], stdin, stdout, stderr);
            }
            return RunMachine(args.Length == 0 ? DemoArguments : args, stdin, stdout, stderr, sink);
        }
        catch (QemuOptionException e)
        {
            sink.Report(e.Formatted);
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Last resort: each known failure has its own message; anything else is still one line.
            sink.Report(FailureText.Describe(e));
            return 1;
        }
    }

    private static int RunMachine(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, StderrSink sink)
    {
        using VirtualMachine machine = VirtualMachine.Create(args, sink);
        // QEMU exits on a monitor's quit; the file mappings are shared, so nothing is lost.
        using MonitorHost monitors = MonitorHost.Start(machine, () => Environment.Exit(0));
        if (monitors.StdioMonitor)
        {
            new HumanMonitor(machine, stdout).Run(stdin);
            return 0;
        }
        try
        {
            return GuestConsole.Run(machine, stdin, stdout, stderr);
        }
        catch (FirmwareLoaderException e)
        {
            sink.Report($"firmware: {e.Message}");
            return 1;
        }
    }
}
