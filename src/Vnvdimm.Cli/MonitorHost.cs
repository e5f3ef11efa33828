using System.Text;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Cli;

/// <summary>
/// The monitors of a running machine: a QMP server per -qmp and the HMP of -monitor (stdio,
/// none, or a unix/tcp socket), all sharing one <see cref="MonitorCommands"/>. The sockets are
/// bound by <see cref="Open"/> before the machine is built, as QEMU creates its chardevs
/// before its memory backends: a socket that cannot be bound refuses the configuration before
/// any backend file exists.
/// </summary>
public sealed class MonitorHost : IDisposable
{
    private readonly List<(string Option, MonitorListener Listener)> _bound = [];
    private readonly List<IDisposable> _servers = [];
    private readonly List<string> _unixPaths = [];

    private MonitorHost()
    {
    }

    /// <summary>True when -monitor stdio asks for the human monitor on standard input/output.</summary>
    public bool StdioMonitor { get; private set; }

    /// <summary>Binds every monitor socket of <paramref name="configuration"/>; errors in QEMU's words with the option.</summary>
    public static MonitorHost Open(VmConfiguration configuration)
    {
        var host = new MonitorHost();
        try
        {
            foreach (string qmp in configuration.Qmp)
            {
                host.Bind("-qmp", qmp);
            }
            string? monitor = configuration.Monitor;
            if (monitor == "stdio")
            {
                host.StdioMonitor = true;
            }
            else if (monitor is not (null or "none"))
            {
                host.Bind("-monitor", monitor);
            }
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Starts serving the bound sockets; <paramref name="onQuit"/> runs on a monitor's quit, after SHUTDOWN was sent.</summary>
    public void Serve(VirtualMachine machine, Action onQuit)
    {
        MonitorCommands commands = MonitorCommands.For(machine);
        // quit ends the process at once (as QEMU's does), so remove the socket files first.
        commands.QuitRequested += () =>
        {
            RemoveUnixSockets();
            onQuit();
        };
        foreach ((string option, MonitorListener listener) in _bound)
        {
            _servers.Add(option == "-qmp"
                ? new QmpServer(commands, listener)
                : new HumanServer(listener, machine, commands));
        }
        _bound.Clear();
    }

    private void Bind(string option, string spec)
    {
        string location = $"{option} {spec}";
        try
        {
            MonitorEndpoint endpoint = MonitorEndpoint.Parse(spec);
            var listener = new MonitorListener(endpoint);
            _bound.Add((option, listener));
            if (endpoint.UnixPath is not null)
            {
                _unixPaths.Add(endpoint.UnixPath);
            }
        }
        catch (QemuOptionException e)
        {
            throw e.WithLocation(location);
        }
    }

    private void RemoveUnixSockets()
    {
        foreach (string path in _unixPaths)
        {
            File.Delete(path);
        }
    }

    // HMP over a socket: the same monitor as stdio, one per client.
    private sealed class HumanServer : IDisposable
    {
        private readonly MonitorListener _listener;

        public HumanServer(MonitorListener listener, VirtualMachine machine, MonitorCommands commands)
        {
            _listener = listener;
            _listener.Start((stream, _) => Task.Run(() => ServeHuman(machine, commands, stream)));
        }

        private static void ServeHuman(VirtualMachine machine, MonitorCommands commands, Stream stream)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true };
            var monitor = new HumanMonitor(machine, writer);
            monitor.Run(reader);
            if (monitor.QuitRequested)
            {
                commands.RequestQuit();
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Stops every monitor: no more clients, open sessions closed and waited for.</summary>
    public void Dispose()
    {
        foreach (IDisposable server in _servers)
        {
            server.Dispose();
        }
        _servers.Clear();
        foreach ((_, MonitorListener listener) in _bound)
        {
            listener.Dispose();
        }
        _bound.Clear();
    }
}
