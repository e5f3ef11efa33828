using System.Text;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Cli;

/// <summary>
/// The monitors of a running machine: a QMP server per -qmp and the HMP of -monitor (stdio,
/// none, or a unix/tcp socket), all sharing one <see cref="MonitorCommands"/>.
/// </summary>
public sealed class MonitorHost : IDisposable
{
    private readonly List<IDisposable> _servers = [];
    private readonly List<string> _unixPaths = [];

    private MonitorHost()
    {
    }

    /// <summary>True when -monitor stdio asks for the human monitor on standard input/output.</summary>
    public bool StdioMonitor { get; private set; }

    /// <summary>Starts every monitor of the machine's configuration; <paramref name="onQuit"/> runs on a monitor's quit.</summary>
    public static MonitorHost Start(VirtualMachine machine, Action onQuit)
    {
        var host = new MonitorHost();
        MonitorCommands commands = MonitorCommands.For(machine);
        // quit ends the process at once (as QEMU's does), so remove the socket files first.
        commands.QuitRequested += () =>
        {
            host.RemoveUnixSockets();
            onQuit();
        };
        try
        {
            foreach (string qmp in machine.Configuration.Qmp)
            {
                host._servers.Add(new QmpServer(commands, host.Listen(ParseEndpoint(qmp, "-qmp"))));
            }
            string? monitor = machine.Configuration.Monitor;
            if (monitor == "stdio")
            {
                host.StdioMonitor = true;
            }
            else if (monitor is not (null or "none"))
            {
                host._servers.Add(new MonitorListener(host.Listen(ParseEndpoint(monitor, "-monitor")), (stream, _) => ServeHuman(machine, commands, stream)));
            }
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private MonitorEndpoint Listen(MonitorEndpoint endpoint)
    {
        if (endpoint.UnixPath is not null)
        {
            _unixPaths.Add(endpoint.UnixPath);
        }
        return endpoint;
    }

    private void RemoveUnixSockets()
    {
        foreach (string path in _unixPaths)
        {
            File.Delete(path);
        }
    }

    private static MonitorEndpoint ParseEndpoint(string spec, string option)
    {
        try
        {
            return MonitorEndpoint.Parse(spec);
        }
        catch (QemuOptionException e)
        {
            throw e.WithLocation($"{option} {spec}");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new QemuOptionException(e.Message, $"{option} {spec}");
        }
    }

    // HMP over a socket: the same monitor as stdio, one per client.
    private static Task ServeHuman(VirtualMachine machine, MonitorCommands commands, Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true };
        var monitor = new HumanMonitor(machine, writer);
        monitor.Run(reader);
        if (monitor.QuitRequested)
        {
            commands.RequestQuit();
        }
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (IDisposable server in _servers)
        {
            server.Dispose();
        }
        _servers.Clear();
    }
}
