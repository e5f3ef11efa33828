using System.Net.Sockets;

namespace Vnvdimm.Host.Monitor;

/// <summary>
/// Listens on a monitor socket and serves every client on its own task, so one slow or broken
/// client never holds up the others.
/// </summary>
public sealed class MonitorListener : IDisposable
{
    private readonly Socket _socket;
    private readonly Func<NetworkStream, CancellationToken, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly string? _unixPath;
    private int _clients;

    public MonitorListener(MonitorEndpoint endpoint, Func<NetworkStream, CancellationToken, Task> serve)
    {
        _serve = serve;
        _unixPath = endpoint.UnixPath;
        if (_unixPath is not null && File.Exists(_unixPath))
        {
            // QEMU unlinks a stale socket file before binding.
            File.Delete(_unixPath);
        }
        _socket = new Socket(endpoint.EndPoint.AddressFamily, SocketType.Stream,
            endpoint.UnixPath is null ? ProtocolType.Tcp : ProtocolType.Unspecified);
        _socket.Bind(endpoint.EndPoint);
        _socket.Listen(16);
        LocalEndPoint = _socket.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoop);
    }

    /// <summary>Where the listener is bound (the actual port when 0 was asked for).</summary>
    public System.Net.EndPoint LocalEndPoint { get; }

    /// <summary>Clients currently connected.</summary>
    public int ClientCount => Volatile.Read(ref _clients);

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
            _ = Task.Run(() => ServeClient(client));
        }
    }

    private async Task ServeClient(Socket client)
    {
        Interlocked.Increment(ref _clients);
        try
        {
            using var stream = new NetworkStream(client, ownsSocket: true);
            await _serve(stream, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away: drop it, keep serving the others.
        }
        finally
        {
            Interlocked.Decrement(ref _clients);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(2));
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
