using Vnvdimm.Guest.Console;
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
        var sink = new StderrSink(text => stderr.WriteLine($"{ProgramName}: {text}"), stderr.WriteLine)
        {
            // Progress bars only on the real standard error, and only when it is a terminal.
            Terminal = ReferenceEquals(stderr, Console.Error) ? StderrSink.StandardErrorTerminal : null,
        };
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

    /// <summary>vnvdimm's own machine option (QEMU has no such option, so no QEMU command line means anything else by it).</summary>
    public const string GuestFolderOption = "-guest-folder";

    private static int RunMachine(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, StderrSink sink, Action? ready = null)
    {
        if (!TryTakeGuestFolder(ref args, sink, out GuestFolder? folder))
        {
            return 1;
        }
        if (args.Length == 0)
        {
            // Only -guest-folder was given: the demo machine, in that folder's sense.
            args = DemoArguments;
        }
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
            return GuestConsole.Run(machine, stdin, stdout, stderr, folder);
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

    /// <summary>
    /// Takes "-guest-folder DIR" (or "--guest-folder", as QEMU accepts either dash form) out of the
    /// arguments: the one host folder the guest's commands may name files in. The last one wins, as
    /// for QEMU's own single-valued options.
    /// </summary>
    private static bool TryTakeGuestFolder(ref string[] args, StderrSink sink, out GuestFolder? folder)
    {
        folder = null;
        var rest = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is not (GuestFolderOption or "-" + GuestFolderOption))
            {
                rest.Add(args[i]);
                continue;
            }
            if (i + 1 >= args.Length)
            {
                sink.Report($"{args[i]}: requires an argument");
                return false;
            }
            string path = args[++i];
            if (!Directory.Exists(path))
            {
                sink.Report($"{args[i - 1]} {path}: Could not open '{path}': {(File.Exists(path) ? "Not a directory" : "No such file or directory")}");
                return false;
            }
            folder = new GuestFolder(path);
        }
        args = [.. rest];
        return true;
    }
}
