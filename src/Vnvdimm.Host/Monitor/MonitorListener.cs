using System.Net.Sockets;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Monitor;

/// <summary>
/// Listens on a monitor socket and serves every client on its own task, so one slow or broken
/// client never holds up the others. Binding (at start-up, before any backend exists, as QEMU
/// creates its chardevs) and serving (once the machine exists) are separate steps.
/// </summary>
public sealed class MonitorListener : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly string? _unixPath;
    private readonly Lock _sessionsLock = new();
    private readonly Dictionary<Socket, Task> _sessions = [];
    private Func<NetworkStream, CancellationToken, Task>? _serve;
    private Task _acceptLoop = Task.CompletedTask;
    private bool _disposed;

    /// <summary>Binds and listens; errors are <see cref="QemuOptionException"/>s in QEMU's words (without the option).</summary>
    public MonitorListener(MonitorEndpoint endpoint)
    {
        _unixPath = endpoint.UnixPath;
        if (_unixPath is not null && File.Exists(_unixPath))
        {
            // QEMU unlinks a stale socket file before binding.
            File.Delete(_unixPath);
        }
        _socket = new Socket(endpoint.EndPoint.AddressFamily, SocketType.Stream,
            endpoint.UnixPath is null ? ProtocolType.Tcp : ProtocolType.Unspecified);
        try
        {
            if (_unixPath is null)
            {
                _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }
            _socket.Bind(endpoint.EndPoint);
            _socket.Listen(16);
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            // unix_listen_saddr and inet_listen_saddr (util/qemu-sockets.c) wording.
            throw new QemuOptionException(_unixPath is null
                ? $"Failed to find an available port: {e.Message}"
                : UnixBindError(_unixPath, e));
        }
        catch (ArgumentException)
        {
            // .NET cannot name a 108-byte path (no room for its NUL); QEMU can.
            _socket.Dispose();
            throw new QemuOptionException($"UNIX socket path '{_unixPath}' is too long\nPath must be less than 108 bytes");
        }
        LocalEndPoint = _socket.LocalEndPoint!;
    }

    // .NET maps bind's errno onto SocketError and loses ENOENT/ENOTDIR, so read them off the folder.
    private static string UnixBindError(string path, SocketException e)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        int errno = Directory.Exists(folder) ? e.SocketErrorCode switch
        {
            SocketError.AccessDenied => Libc.EACCES,
            SocketError.AddressAlreadyInUse => EADDRINUSE,
            _ => 0,
        } : AnyParentIsFile(folder) ? ENOTDIR : Libc.ENOENT;
        // QEMU unlinks the path before binding, and only ENOENT from unlink is ignored.
        return errno == ENOTDIR ? $"Failed to unlink socket {path}: {Libc.StrError(errno)}"
            : $"Failed to bind socket to {path}: {(errno == 0 ? e.Message : Libc.StrError(errno))}";
    }

    private const int ENOTDIR = 20;
    private const int EADDRINUSE = 98;

    private static bool AnyParentIsFile(string folder)
    {
        for (string? at = folder; !string.IsNullOrEmpty(at); at = Path.GetDirectoryName(at))
        {
            if (File.Exists(at))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Binds and starts serving at once.</summary>
    public MonitorListener(MonitorEndpoint endpoint, Func<NetworkStream, CancellationToken, Task> serve) : this(endpoint) => Start(serve);

    /// <summary>Where the listener is bound (the actual port when 0 was asked for).</summary>
    public System.Net.EndPoint LocalEndPoint { get; }

    /// <summary>Clients currently connected.</summary>
    public int ClientCount
    {
        get
        {
            lock (_sessionsLock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Starts accepting clients, each served by <paramref name="serve"/>.</summary>
    public void Start(Func<NetworkStream, CancellationToken, Task> serve)
    {
        if (_serve is not null)
        {
            throw new InvalidOperationException("the listener is already serving");
        }
        _serve = serve;
        _acceptLoop = Task.Run(AcceptLoop);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_sessionsLock)
            {
                if (_disposed)
                {
                    client.Dispose();
                    return;
                }
                _sessions[client] = Task.Run(() => ServeClient(client));
            }
        }
    }

    private async Task ServeClient(Socket client)
    {
        try
        {
            using var stream = new NetworkStream(client, ownsSocket: true);
            await _serve!(stream, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away: drop it, keep serving the others.
        }
        finally
        {
            lock (_sessionsLock)
            {
                _sessions.Remove(client);
            }
        }
    }

    /// <summary>
    /// Stops accepting, closes every client connection and waits for their sessions to end (so
    /// call it outside a session).
    /// </summary>
    public void Dispose()
    {
        Task[] sessions;
        lock (_sessionsLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _stop.Cancel();
            _socket.Dispose();
            foreach (Socket client in _sessions.Keys)
            {
                // Unblocks a session waiting for input; one running a command finishes it first.
                client.Dispose();
            }
            sessions = [.. _sessions.Values];
        }
        try
        {
            _acceptLoop.Wait();
        }
        catch (AggregateException)
        {
        }
        // Sessions end on their own once their socket is closed; a session may not run a
        // command after this returns, because the machine is disposed next.
        try
        {
            Task.WaitAll(sessions);
        }
        catch (AggregateException)
        {
        }
        if (_unixPath is not null)
        {
            File.Delete(_unixPath);
        }
        _stop.Dispose();
    }
}
