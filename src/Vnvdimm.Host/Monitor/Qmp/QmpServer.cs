using System.Net.Sockets;
using System.Text;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Monitor.Qmp;

/// <summary>
/// The QMP server of one -qmp option: greeting, then requests and replies as JSON lines ending
/// in "\r\n" like QEMU's; any number of clients, each with its own negotiation state. Events
/// (SHUTDOWN) reach every negotiated client as soon as they are emitted.
/// </summary>
public sealed class QmpServer : IDisposable
{
    // How long an event may wait for a client that does not read.
    private const int EventWriteTimeoutMilliseconds = 2000;

    private readonly MonitorCommands _commands;
    private readonly MonitorListener _listener;

    public QmpServer(MonitorCommands commands, MonitorEndpoint endpoint, long maxTokenBytes = QemuJsonStreamer.MaxTokenBytes)
        : this(commands, new MonitorListener(endpoint), maxTokenBytes)
    {
    }

    /// <summary>Serves on a listener that is already bound (and owns it from now on).</summary>
    public QmpServer(MonitorCommands commands, MonitorListener listener, long maxTokenBytes = QemuJsonStreamer.MaxTokenBytes)
    {
        _commands = commands;
        MaxTokenBytes = maxTokenBytes;
        _listener = listener;
        _listener.Start(Serve);
    }

    /// <summary>QEMU's MAX_TOKEN_SIZE unless a test lowers it.</summary>
    public long MaxTokenBytes { get; }

    public System.Net.EndPoint LocalEndPoint => _listener.LocalEndPoint;

    public int ClientCount => _listener.ClientCount;

    private async Task Serve(NetworkStream stream, CancellationToken stop)
    {
        // Replies (this task) and events (any thread) take turns on the stream.
        using var writeLock = new SemaphoreSlim(1, 1);
        QmpSession? current = null;
        using var session = new QmpSession(_commands, () => SendEvents(current));
        current = session;
        var streamer = new QemuJsonStreamer(MaxTokenBytes);
        await WriteLines(stream, writeLock, [QmpSession.Greeting], stop).ConfigureAwait(false);
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int read = await stream.ReadAsync(buffer, stop).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }
            foreach (QemuJsonStreamer.Item item in streamer.Feed(buffer.AsSpan(0, read)))
            {
                IReadOnlyList<string> lines = session.Handle(item);
                await WriteLines(stream, writeLock, lines, stop).ConfigureAwait(false);
                if (session.QuitRequested)
                {
                    _commands.RequestQuit();
                    return;
                }
            }
        }

        void SendEvents(QmpSession? target)
        {
            // Synchronous: the emitter (quit, power-off) ends the machine right after.
            try
            {
                if (!writeLock.Wait(EventWriteTimeoutMilliseconds))
                {
                    return;
                }
                try
                {
                    IReadOnlyList<string> events = target?.TakeEvents() ?? [];
                    if (events.Count > 0)
                    {
                        stream.WriteTimeout = EventWriteTimeoutMilliseconds;
                        stream.Write(Encode(events));
                    }
                }
                finally
                {
                    writeLock.Release();
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The client is gone; its session ends on its own.
            }
        }
    }

    private static async Task WriteLines(NetworkStream stream, SemaphoreSlim writeLock, IReadOnlyList<string> lines, CancellationToken stop)
    {
        await writeLock.WaitAsync(stop).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(Encode(lines), stop).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    private static byte[] Encode(IReadOnlyList<string> lines)
    {
        var text = new StringBuilder();
        foreach (string line in lines)
        {
            text.Append(line).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public void Dispose() => _listener.Dispose();
}
