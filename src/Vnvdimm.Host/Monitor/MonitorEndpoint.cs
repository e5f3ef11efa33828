using System.Net;
using System.Net.Sockets;
using System.Text;
using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Host.Monitor;

/// <summary>
/// A monitor socket from a -qmp / -monitor chardev: "unix:PATH,server=on,wait=off" or
/// "tcp:HOST:PORT,server=on,wait=off". Only listening servers that do not wait are supported.
/// </summary>
public sealed record MonitorEndpoint(EndPoint EndPoint, string? UnixPath)
{
    public static MonitorEndpoint Parse(string spec)
    {
        QemuOpts opts = QemuOpts.Parse(spec, "path");
        string path = opts.Get("path") ?? string.Empty;
        bool server = opts.GetBool("server") ?? false;
        bool wait = opts.GetBool("wait") ?? true;
        if (!server || wait)
        {
            throw new QemuOptionException("only 'server=on,wait=off' monitor sockets are available in this version");
        }
        if (path.StartsWith("unix:", StringComparison.Ordinal))
        {
            string file = path["unix:".Length..];
            if (file.Length == 0)
            {
                // unix_listen_saddr: an empty path listens on a fresh name in the temporary folder.
                file = FreshSocketPath();
            }
            if (Encoding.UTF8.GetByteCount(file) > SunPathBytes)
            {
                throw new QemuOptionException($"UNIX socket path '{file}' is too long\nPath must be less than {SunPathBytes} bytes");
            }
            try
            {
                return new MonitorEndpoint(new UnixDomainSocketEndPoint(file), file);
            }
            catch (ArgumentException)
            {
                // .NET cannot name a 108-byte path (no room for its NUL); QEMU can.
                throw new QemuOptionException($"UNIX socket path '{file}' is too long\nPath must be less than {SunPathBytes} bytes");
            }
        }
        if (path.StartsWith("tcp:", StringComparison.Ordinal))
        {
            string hostPort = path["tcp:".Length..];
            int colon = hostPort.LastIndexOf(':');
            if (colon < 0 || !int.TryParse(hostPort[(colon + 1)..], out int port) || port is < 0 or > 65535)
            {
                throw new QemuOptionException($"address resolution failed for {hostPort}");
            }
            string host = hostPort[..colon].Trim('[', ']');
            IPAddress address;
            try
            {
                address = host.Length == 0 ? IPAddress.Any
                    : host == "localhost" ? IPAddress.Loopback
                    : IPAddress.TryParse(host, out IPAddress? parsed) ? parsed
                    : Dns.GetHostAddresses(host).First();
            }
            catch (Exception e) when (e is SocketException or ArgumentException or InvalidOperationException)
            {
                throw new QemuOptionException($"address resolution failed for {hostPort}: {e.Message}");
            }
            return new MonitorEndpoint(new IPEndPoint(address, port), null);
        }
        throw new QemuOptionException($"'{path}' is not a socket this version can listen on");
    }

    // sizeof(struct sockaddr_un.sun_path) on Linux.
    private const int SunPathBytes = 108;

    private static string FreshSocketPath()
    {
        string folder = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : "/tmp";
        while (true)
        {
            string candidate = Path.Combine(folder, "vnvdimm-socket-" + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)[..6]);
            if (!File.Exists(candidate))
            {
                return candidate;
            }
        }
    }
}
