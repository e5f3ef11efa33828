using System.Net.Sockets;
using System.Text;

namespace Vnvdimm.Host.Monitor.Qmp;

/// <summary>
/// The QMP server of one -qmp option: greeting, then requests and replies as JSON lines ending
/// in "\r\n" like QEMU's; any number of clients, each with its own negotiation state.
/// </summary>
public sealed class QmpServer : IDisposable
{
    private readonly MonitorCommands _commands;
    private readonly MonitorListener _listener;

    public QmpServer(MonitorCommands commands, MonitorEndpoint endpoint, int maxValueBytes = QmpStreamSplitter.DefaultMaxValueBytes)
    {
        _commands = commands;
        MaxValueBytes = maxValueBytes;
        _listener = new MonitorListener(endpoint, Serve);
    }

    public int MaxValueBytes { get; }

    public System.Net.EndPoint LocalEndPoint => _listener.LocalEndPoint;

    public int ClientCount => _listener.ClientCount;

    private async Task Serve(NetworkStream stream, CancellationToken stop)
    {
        var session = new QmpSession(_commands);
        var splitter = new QmpStreamSplitter(MaxValueBytes);
        await WriteLines(stream, [QmpSession.Greeting], stop).ConfigureAwait(false);
        byte[] buffer = new byte[64 * 1024];
        while (true)
        {
            int read = await stream.ReadAsync(buffer, stop).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }
            foreach (QmpStreamSplitter.Item item in splitter.Feed(buffer.AsMemory(0, read)))
            {
                IReadOnlyList<string> lines = item.Error is not null
                    ? [QmpJson.Serialize(new QmpDict().Add("error", new QmpDict().Add("class", QmpException.GenericError).Add("desc", item.Error)))]
                    : session.Handle(item.Text);
                await WriteLines(stream, lines, stop).ConfigureAwait(false);
                if (session.QuitRequested)
                {
                    _commands.RequestQuit();
                    return;
                }
            }
        }
    }

    private static async Task WriteLines(NetworkStream stream, IReadOnlyList<string> lines, CancellationToken stop)
    {
        var text = new StringBuilder();
        foreach (string line in lines)
        {
            text.Append(line).Append("\r\n");
        }
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), stop).ConfigureAwait(false);
    }

    public void Dispose() => _listener.Dispose();
}
