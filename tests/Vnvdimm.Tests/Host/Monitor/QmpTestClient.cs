using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>A raw QMP client over a loopback/unix socket; every read times out after 5 s.</summary>
internal sealed class QmpTestClient : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    public QmpTestClient(EndPoint endpoint)
    {
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream,
            endpoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp)
        {
            ReceiveTimeout = 5000,
            SendTimeout = 5000,
        };
        _socket.Connect(endpoint);
    }

    public Socket Socket => _socket;

    public void Send(string text) => _socket.Send(Encoding.UTF8.GetBytes(text));

    public void SendLine(string json) => Send(json + "\n");

    /// <summary>The next line without its "\r\n" (asserting QEMU's line end), or null at end of stream.</summary>
    public string? ReadLine()
    {
        byte[] buffer = new byte[4096];
        while (true)
        {
            int newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                string line = Encoding.UTF8.GetString(_pending.GetRange(0, newline).ToArray());
                _pending.RemoveRange(0, newline + 1);
                Assert.EndsWith("\r", line);
                return line[..^1];
            }
            int read = _socket.Receive(buffer);
            if (read == 0)
            {
                return null;
            }
            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    public string Call(string json)
    {
        SendLine(json);
        return ReadLine() ?? throw new IOException("connection closed");
    }

    public void Dispose() => _socket.Dispose();
}
