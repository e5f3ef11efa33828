namespace Vnvdimm.Host.Configuration;

/// <summary>
/// QEMU 7.2's qemu_chr_parse_compat, as monitor_parse runs it on a -qmp or -monitor argument
/// while the command line is read: the legacy chardev syntax ("stdio", "unix:PATH,server=on",
/// "tcp:HOST:PORT,…", "file:PATH", …). A bad one is reported in QEMU's words, its own error (when
/// there is one) and then "parse error: ARG", before anything later on the command line. Which
/// of the valid forms vnvdimm can serve is decided when the monitor is bound.
/// </summary>
public static class ChardevCompat
{
    // qemu_chardev_opts: the parameters the legacy syntax may carry, and their types.
    private static readonly HashSet<string> Booleans = new(StringComparer.Ordinal)
    {
        "ipv4", "ipv6", "wait", "server", "delay", "nodelay", "telnet", "tn3270", "websocket", "mux", "signal", "append",
        "logappend", "abstract", "tight",
    };
    private static readonly HashSet<string> Numbers = new(StringComparer.Ordinal) { "reconnect", "width", "height", "cols", "rows", "debug" };
    private static readonly HashSet<string> Strings = new(StringComparer.Ordinal)
    {
        "backend", "path", "host", "port", "fd", "localaddr", "localport", "to", "tls-creds", "tls-authz", "name", "chardev", "logfile", "size",
    };

    private static readonly string[] Backends = ["null", "pty", "msmouse", "wctablet", "braille", "testdev", "stdio"];
    private static readonly string[] PathPrefixes = ["vc", "COM", "file:", "pipe:", "pty:", "udp:", "/dev/"];
    private static readonly string[] SocketPrefixes = ["tcp:", "telnet:", "tn3270:", "websocket:"];

    /// <param name="argument">The option's argument.</param>
    /// <param name="report">Prints one of QEMU's error lines (with the option's location).</param>
    public static void Validate(string argument, Action<string> report)
    {
        string filename = argument.StartsWith("mon:", StringComparison.Ordinal) ? argument["mon:".Length..] : argument;
        if (Backends.Contains(filename) || filename == "con:" || PathPrefixes.Any(p => filename.StartsWith(p, StringComparison.Ordinal)))
        {
            return;
        }
        if (SocketPrefixes.FirstOrDefault(p => filename.StartsWith(p, StringComparison.Ordinal)) is string socket)
        {
            string rest = filename[socket.Length..];
            int end = HostPortEnd(rest) ?? throw ParseError(argument);
            if (end < rest.Length && rest[end] == ',')
            {
                CheckParameters(rest[(end + 1)..], null, argument, report);
            }
            return;
        }
        if (filename.StartsWith("unix:", StringComparison.Ordinal))
        {
            CheckParameters(filename["unix:".Length..], "path", argument, report);
            return;
        }
        report($"'{filename}' is not a valid char driver");
        throw ParseError(argument);
    }

    // sscanf(p, "%64[^:]:%32[^,]%n") or sscanf(p, ":%32[^,]%n"): where the port ends, or null.
    private static int? HostPortEnd(string text)
    {
        int colon = text.IndexOf(':');
        int hostLength = colon < 0 ? text.Length : colon;
        int portStart = hostLength == 0 ? 1 : colon + 1;
        if (hostLength > 64 || (hostLength > 0 && colon < 0) || (hostLength == 0 && !text.StartsWith(':')))
        {
            return null;
        }
        int portLength = 0;
        while (portStart + portLength < text.Length && text[portStart + portLength] != ',' && portLength < 32)
        {
            portLength++;
        }
        return portLength == 0 ? null : portStart + portLength;
    }

    // qemu_opts_do_parse: each parameter must be one the chardev options know, of the right type.
    private static void CheckParameters(string text, string? impliedKey, string argument, Action<string> report)
    {
        // qemu_opts_do_parse does not warn about short-form booleans ("server,nowait").
        QemuOpts opts = QemuOpts.Parse(text, impliedKey, QemuOpts.ParseMode.QemuOpts);
        foreach (string key in opts.Keys)
        {
            try
            {
                if (Booleans.Contains(key))
                {
                    opts.GetBool(key);
                }
                else if (Numbers.Contains(key))
                {
                    if (!ulong.TryParse(opts.Get(key), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                    {
                        throw new QemuOptionException($"Parameter '{key}' expects a number");
                    }
                }
                else if (!Strings.Contains(key))
                {
                    throw new QemuOptionException($"Invalid parameter '{key}'");
                }
            }
            catch (QemuOptionException e)
            {
                report(e.Message);
                throw ParseError(argument);
            }
        }
    }

    private static QemuOptionException ParseError(string argument) => new($"parse error: {argument}");
}
