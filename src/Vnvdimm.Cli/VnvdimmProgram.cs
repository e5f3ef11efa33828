using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;

namespace Vnvdimm.Cli;

/// <summary>The vnvdimm command: a machine from QEMU options, or a verb (acpi, image, check).</summary>
public static class VnvdimmProgram
{
    public const string ProgramName = "vnvdimm";

    /// <summary>The demo machine: one file-backed NVDIMM with a 128 KiB label area, in a file under the current folder.</summary>
    public const string DemoImage = "vnvdimm-demo.img";

    public static readonly string[] DemoArguments =
    [
        "-machine", "pc,nvdimm=on",
        "-m", "512M,slots=4,maxmem=4G",
        "-object", $"memory-backend-file,id=mem1,share=on,mem-path={DemoImage},size=256M",
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
            if (args.Length > 0 && args[0] == "check")
            {
                return CheckCommand.Run(args[1..], stdout, sink, stdoutIsTerminal: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "");
            }
            if (args.Length > 0 && args[0] == "image")
            {
                return ImageCommand.Run(args[1..], stdin, stdout, stderr);
            }
            if (args.Length == 0)
            {
                string notice = DemoNotice(created: !File.Exists(DemoImage));
                return RunMachine(DemoArguments, stdin, stdout, stderr, sink, () => sink.Report(notice));
            }
            return RunMachine(args, stdin, stdout, stderr, sink);
        }
        catch (HelpRequestedException help)
        {
            return PrintHelp(help, stdout, sink);
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

    // QEMU exits 0 after any help text, even when the help names an unknown driver.
    private static int PrintHelp(HelpRequestedException help, TextWriter stdout, StderrSink sink)
    {
        if (help.Error is not null)
        {
            sink.Report(help.Error.Formatted);
            return 0;
        }
        stdout.Write(help.Topic switch
        {
            HelpTopic.Usage => ProgramUsage.Usage,
            HelpTopic.Version => ProgramUsage.Version,
            _ => help.Stdout,
        });
        stdout.Flush();
        return 0;
    }

    /// <summary>The one line the demo prints on stderr once its machine is up.</summary>
    public static string DemoNotice(bool created) =>
        $"demo machine: 256 MiB NVDIMM nmem0 backed by ./{DemoImage} ({(created ? "created" : "reused")}); "
        + "type ndctl commands, 'help', or 'poweroff' (or end the input) to leave";

    private static int RunMachine(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, StderrSink sink, Action? ready = null)
    {
        VmConfiguration configuration = VmConfiguration.Parse(args, sink.Report, sink);
        // QEMU creates its chardevs (monitor sockets) before the memory backends, so a socket
        // that cannot be bound refuses the machine before any backend file is created.
        using MonitorHost monitors = MonitorHost.Open(configuration);
        using VirtualMachine machine = VirtualMachine.Create(configuration, sink);
        ready?.Invoke();
        try
        {
            // QEMU exits on a monitor's quit; the file mappings are shared, so nothing is lost.
            monitors.Serve(machine, () => Environment.Exit(0));
            if (monitors.StdioMonitor)
            {
                new HumanMonitor(machine, stdout).Run(stdin);
                return 0;
            }
            // The console powers the guest off (SHUTDOWN to every QMP client) when it ends.
            return GuestConsole.Run(machine, stdin, stdout, stderr);
        }
        catch (FirmwareLoaderException e)
        {
            sink.Report($"firmware: {e.Message}");
            return 1;
        }
        finally
        {
            // Every monitor session ends before the machine is disposed (the using above).
            monitors.Dispose();
        }
    }
}
