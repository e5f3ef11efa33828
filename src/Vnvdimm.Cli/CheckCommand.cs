using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Check;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Cli;

/// <summary>
/// vnvdimm check [--json] [--argv-file FILE | --pid PID | [--] QEMU OPTIONS]: is each NVDIMM's
/// data persistent, and would QEMU accept the configuration? Reads only; creates and writes nothing.
/// Exit status 0 all persistent, 1 refused, 2 some not guaranteed.
/// </summary>
public static class CheckCommand
{
    public const string Usage = "usage: vnvdimm check [--json] [--argv-file FILE | --pid PID | [--] QEMU-OPTIONS...]";

    /// <param name="inspector">The host inspection; tests pass fakes for device-dax and DAX filesystems.</param>
    public static int Run(string[] args, TextWriter stdout, StderrSink stderr, bool stdoutIsTerminal = false, IBackingStoreInspector? inspector = null)
    {
        bool json = false;
        string? argvFile = null;
        string? pid = null;
        int i = 0;
        for (; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    continue;
                case "--argv-file" or "--pid" when i + 1 >= args.Length:
                    stderr.Report($"check: {args[i]}: requires an argument");
                    return 1;
                case "--argv-file":
                    argvFile = args[++i];
                    continue;
                case "--pid":
                    pid = args[++i];
                    continue;
                case "--":
                    i++;
                    break;
                case "--help" or "-h" when i == 0:
                    stdout.WriteLine(Usage);
                    return 0;
            }
            break;
        }
        string[] rest = args[i..];
        if ((argvFile is not null || pid is not null) && (rest.Length > 0 || (argvFile is not null && pid is not null)))
        {
            stderr.Report("check: give either QEMU options, --argv-file FILE or --pid PID");
            return 1;
        }

        IReadOnlyList<string> qemuArgs;
        if (argvFile is not null)
        {
            string text;
            try
            {
                text = File.ReadAllText(argvFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                int errno = PosixFiles.ErrnoOf(e);
                stderr.Report($"check: --argv-file {argvFile}: {(errno != 0 ? PosixFiles.StrError(errno) : FailureText.Describe(e))}");
                return 1;
            }
            qemuArgs = CheckArguments.ParseArgvFile(text);
        }
        else if (pid is not null)
        {
            if (!int.TryParse(pid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int processId) || processId <= 0)
            {
                stderr.Report($"check: --pid {pid}: not a process id");
                return 1;
            }
            byte[] cmdline;
            try
            {
                cmdline = File.ReadAllBytes($"/proc/{processId}/cmdline");
            }
            catch (UnauthorizedAccessException)
            {
                stderr.Report($"check: --pid {pid}: Permission denied");
                return 1;
            }
            catch (IOException)
            {
                stderr.Report($"check: --pid {pid}: No such process");
                return 1;
            }
            qemuArgs = CheckArguments.ParseProcCmdline(cmdline);
        }
        else
        {
            qemuArgs = rest;
        }

        CheckReport report = ConfigurationCheck.Run(qemuArgs, inspector ?? new HostBackingStoreInspector(), CheckNamespaces.Read);
        if (report.QemuError is { } error && report.Devices.Count == 0)
        {
            // QEMU would not get as far as any device: its one line, as the machine prints it.
            stderr.Report(error);
        }
        if (json)
        {
            stdout.WriteLine(CheckReportJson.Write(report));
        }
        else
        {
            CheckReportTable.Write(report, stdout, colour: stdoutIsTerminal);
        }
        stdout.Flush();
        return report.ExitStatus;
    }
}
