using System.Net;
using System.Net.Sockets;
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
            return new MonitorEndpoint(new UnixDomainSocketEndPoint(file), file);
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
            IPAddress address = host.Length == 0 ? IPAddress.Any
                : host == "localhost" ? IPAddress.Loopback
                : IPAddress.TryParse(host, out IPAddress? parsed) ? parsed
                : Dns.GetHostAddresses(host).First();
            return new MonitorEndpoint(new IPEndPoint(address, port), null);
        }
        throw new QemuOptionException($"'{path}' is not a socket this version can listen on");
    }
}
