using System.Globalization;
using System.Text;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Monitor.Qmp;

/// <summary>
/// One QMP client's protocol state (QEMU 7.2 monitor/qmp.c and qmp-dispatch.c): the greeting,
/// capabilities negotiation, dispatch, and replies as single JSON lines (without line ends).
/// </summary>
public sealed class QmpSession : IDisposable
{
    private readonly MonitorCommands commands;
    private readonly Action? _eventPending;
    private readonly Queue<string> _events = new();
    private readonly Lock _eventsLock = new();
    private bool _subscribed;

    /// <summary>
    /// A session of <paramref name="commands"/>; <paramref name="eventPending"/> is called (on the
    /// emitting thread) when an event was queued, so the server can send it at once with
    /// <see cref="TakeEvents"/>; without it, queued events lead the next reply.
    /// </summary>
    public QmpSession(MonitorCommands commands, Action? eventPending = null)
    {
        this.commands = commands;
        _eventPending = eventPending;
    }

    /// <summary>The "package" of query-version and the greeting; empty as in "info version".</summary>
    public const string Package = "";

    /// <summary>The commands this server knows, in query-commands order.</summary>
    public static readonly IReadOnlyList<string> CommandNames =
    [
        "qmp_capabilities", "query-version", "query-commands", "object-add", "object-del", "device_add",
        "device_del", "query-memory-devices", "query-memdev", "query-memory-size-summary", "quit",
        "query-status", "human-monitor-command",
    ];

    private static readonly string[] BackendBoolProperties =
    [
        "share", "merge", "dump", "prealloc", "reserve", "pmem", "readonly", "discard-data",
        "x-use-canonical-path-for-ramblock-id", "hugetlb", "seal",
    ];

    private static readonly string[] BackendStringProperties = ["id", "mem-path", "policy"];

    private static readonly string[] BackendIntegerProperties = ["size", "align", "offset", "prealloc-threads", "hugetlbsize"];

    private bool _negotiated;

    /// <summary>True once quit was executed: the connection closes after its reply.</summary>
    public bool QuitRequested { get; private set; }

    /// <summary>The greeting line.</summary>
    public static string Greeting =>
        QmpJson.Serialize(new QemuJsonObject().Add("QMP", new QemuJsonObject().Add("version", VersionInfo()).Add("capabilities", new List<object?> { "oob" })));

    /// <summary>True once qmp_capabilities succeeded: only then does the client get events.</summary>
    public bool Negotiated => _negotiated;

    /// <summary>The SHUTDOWN event of a quit, sent before its reply.</summary>
    public static string ShutdownEvent(DateTimeOffset now) => ShutdownEvent(now, false, "host-qmp-quit");

    /// <summary>The SHUTDOWN event with its data (guest, reason).</summary>
    public static string ShutdownEvent(DateTimeOffset now, bool guest, string reason)
    {
        long micros = now.ToUnixTimeMilliseconds() * 1000 + now.Ticks / 10 % 1000;
        var timestamp = new QemuJsonObject().Add("seconds", micros / 1_000_000).Add("microseconds", micros % 1_000_000);
        return QmpJson.Serialize(new QemuJsonObject().Add("timestamp", timestamp).Add("event", "SHUTDOWN")
            .Add("data", new QemuJsonObject().Add("guest", guest).Add("reason", reason)));
    }

    /// <summary>Events queued for this client and not sent yet, oldest first.</summary>
    public IReadOnlyList<string> TakeEvents()
    {
        lock (_eventsLock)
        {
            var lines = _events.ToList();
            _events.Clear();
            return lines;
        }
    }

    private void OnShutdown(bool guest, string reason)
    {
        lock (_eventsLock)
        {
            _events.Enqueue(ShutdownEvent(DateTimeOffset.UtcNow, guest, reason));
        }
        _eventPending?.Invoke();
    }

    /// <summary>Stops receiving events.</summary>
    public void Dispose()
    {
        if (_subscribed)
        {
            commands.Shutdown -= OnShutdown;
            _subscribed = false;
        }
    }

    /// <summary>
    /// Handles <paramref name="json"/> as a whole client input (read through QEMU's JSON streamer,
    /// then ended); returns the lines to send, one or more per value or parse error.
    /// </summary>
    public IReadOnlyList<string> Handle(ReadOnlyMemory<byte> json)
    {
        var streamer = new QemuJsonStreamer();
        var lines = new List<string>();
        foreach (QemuJsonStreamer.Item item in streamer.Feed(json.Span).Concat(streamer.Flush()))
        {
            lines.AddRange(Handle(item));
        }
        return lines;
    }

    /// <summary>The reply lines to one value or parse error of the input stream.</summary>
    internal IReadOnlyList<string> Handle(QemuJsonStreamer.Item item) =>
        item.Error is not null ? [ErrorLine(new QmpException(item.Error), null, false)] : Handle(item.Value);

    internal IReadOnlyList<string> Handle(object? request)
    {
        if (request is not QemuJsonObject dict)
        {
            return [ErrorLine(new QmpException("QMP input must be a JSON object"), null, false)];
        }
        bool hasId = dict.TryGet("id", out object? id);
        try
        {
            // qmp_dispatch's checks on the request object itself, in its member order.
            foreach ((string key, object? value) in dict.Members)
            {
                switch (key)
                {
                    case "execute" when value is not string:
                        throw new QmpException("QMP input member 'execute' must be a string");
                    case "arguments" when value is not QemuJsonObject:
                        throw new QmpException("QMP input member 'arguments' must be an object");
                    case "execute" or "arguments" or "id":
                        break;
                    default:
                        throw new QmpException($"QMP input member '{key}' is unexpected");
                }
            }
            if (!dict.TryGet("execute", out object? execute))
            {
                throw new QmpException("QMP input lacks member 'execute'");
            }
            string name = (string)execute!;
            QemuJsonObject arguments = dict.TryGet("arguments", out object? args) ? (QemuJsonObject)args! : new QemuJsonObject();
            if (!CommandNames.Contains(name))
            {
                throw new QmpException(QmpException.CommandNotFound, $"The command {name} has not been found");
            }
            if (!_negotiated && name != "qmp_capabilities")
            {
                throw new QmpException(QmpException.CommandNotFound, "Expecting capabilities negotiation with 'qmp_capabilities'");
            }
            object? result = Execute(name, arguments);
            var reply = new QemuJsonObject().Add("return", result);
            if (hasId)
            {
                reply.Add("id", id);
            }
            return [.. TakeEvents(), QmpJson.Serialize(reply)];
        }
        catch (QmpException e)
        {
            return [.. TakeEvents(), ErrorLine(e, id, hasId)];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the machine code throws, the client gets an error and the session goes on.
            return [.. TakeEvents(), ErrorLine(new QmpException(e.Message), id, hasId)];
        }
    }

    private static string ErrorLine(QmpException e, object? id, bool hasId)
    {
        var reply = new QemuJsonObject().Add("error", new QemuJsonObject().Add("class", e.ErrorClass).Add("desc", e.Message));
        if (hasId)
        {
            reply.Add("id", id);
        }
        return QmpJson.Serialize(reply);
    }

    private object? Execute(string name, QemuJsonObject arguments)
    {
        commands.OnCommand(name);
        switch (name)
        {
            case "qmp_capabilities":
                if (_negotiated)
                {
                    throw new QmpException(QmpException.CommandNotFound, "Capabilities negotiation is already complete, command ignored");
                }
                CheckArguments(arguments, "enable");
                _negotiated = true;
                if (!_subscribed)
                {
                    commands.Shutdown += OnShutdown;
                    _subscribed = true;
                }
                return new QemuJsonObject();
            case "query-version":
                CheckArguments(arguments);
                return VersionInfo();
            case "query-commands":
                CheckArguments(arguments);
                return CommandNames.Select(n => (object?)new QemuJsonObject().Add("name", n)).ToList();
            case "object-add":
                commands.ObjectAdd(ObjectOpts(arguments));
                return new QemuJsonObject();
            case "object-del":
                commands.ObjectDel(RequiredString(arguments, "id"));
                return new QemuJsonObject();
            case "device_add":
                commands.DeviceAdd(DeviceOpts(arguments));
                return new QemuJsonObject();
            case "device_del":
                commands.DeviceDel(RequiredString(arguments, "id"));
                return new QemuJsonObject();
            case "query-memory-devices":
                CheckArguments(arguments);
                return commands.MemoryDevices().Select(d => (object?)MemoryDeviceInfo(d)).ToList();
            case "query-memdev":
                CheckArguments(arguments);
                return commands.Memdevs().Select(b => (object?)MemdevInfo(b)).ToList();
            case "query-memory-size-summary":
                CheckArguments(arguments);
                (ulong baseMemory, ulong plugged) = commands.MemorySizeSummary();
                return new QemuJsonObject().Add("base-memory", baseMemory).Add("plugged-memory", plugged);
            case "quit":
                CheckArguments(arguments);
                commands.EmitQuitShutdown();
                QuitRequested = true;
                return new QemuJsonObject();
            case "query-status":
                CheckArguments(arguments);
                // StatusInfo in its QAPI member order; vnvdimm's machine runs from the start (no -S).
                return new QemuJsonObject().Add("running", true).Add("singlestep", false).Add("status", "running");
            case "human-monitor-command":
                return HumanMonitorCommand(arguments);
            default:
                throw new QmpException(QmpException.CommandNotFound, $"The command {name} has not been found");
        }
    }

    // hmp_human_monitor_command: runs one HMP line and returns what it printed, with the
    // monitor's "\r\n" line ends.
    private string HumanMonitorCommand(QemuJsonObject arguments)
    {
        CheckArguments(arguments, "command-line", "cpu-index");
        if (!arguments.TryGet("command-line", out object? line))
        {
            throw new QmpException("Parameter 'command-line' is missing");
        }
        if (line is not string commandLine)
        {
            throw new QmpException("Invalid parameter type for 'command-line', expected: string");
        }
        if (arguments.TryGet("cpu-index", out object? cpu) && cpu is not (long or ulong))
        {
            throw new QmpException("Invalid parameter type for 'cpu-index', expected: integer");
        }
        var output = new StringWriter { NewLine = "\n" };
        var monitor = new HumanMonitor(commands.Machine, output);
        monitor.Execute(commandLine);
        // HMP quit already sent SHUTDOWN; the connection ends after the reply.
        QuitRequested |= monitor.QuitRequested;
        return output.ToString().Replace("\n", "\r\n", StringComparison.Ordinal);
    }

    private static QemuJsonObject VersionInfo() =>
        new QemuJsonObject()
            .Add("qemu", new QemuJsonObject().Add("major", 7L).Add("minor", 2L).Add("micro", 22L))
            .Add("package", Package);

    // PCDIMMDeviceInfo in its QAPI member order, inside the MemoryDeviceInfo union.
    private static QemuJsonObject MemoryDeviceInfo(MemoryDevice device)
    {
        var data = new QemuJsonObject();
        if (device.Id is not null)
        {
            data.Add("id", device.Id);
        }
        data.Add("addr", device.Address.Value).Add("size", device.ExposedSize).Add("slot", (long)device.Slot)
            .Add("node", (long)device.Node).Add("memdev", $"/objects/{device.Backend!.Id}")
            .Add("hotplugged", device.Hotplugged).Add("hotpluggable", true);
        return new QemuJsonObject().Add("type", device.Kind).Add("data", data);
    }

    // Memdev in its QAPI member order.
    private static QemuJsonObject MemdevInfo(MemoryBackend backend) =>
        new QemuJsonObject().Add("id", backend.Id).Add("size", backend.Size).Add("merge", backend.Merge).Add("dump", backend.Dump)
            .Add("prealloc", backend.Prealloc).Add("share", backend.Share).Add("reserve", backend.Reserve)
            .Add("host-nodes", backend.HostNodes.Select(n => (object?)(long)n).ToList()).Add("policy", backend.Policy);

    private static void CheckArguments(QemuJsonObject arguments, params string[] allowed)
    {
        foreach ((string key, _) in arguments.Members)
        {
            if (!allowed.Contains(key))
            {
                throw new QmpException($"Parameter '{key}' is unexpected");
            }
        }
    }

    private static string RequiredString(QemuJsonObject arguments, string name)
    {
        CheckArguments(arguments, name);
        if (!arguments.TryGet(name, out object? value))
        {
            throw new QmpException($"Parameter '{name}' is missing");
        }
        return value as string ?? throw new QmpException($"Invalid parameter type for '{name}', expected: string");
    }

    // object-add is typed (ObjectOptions): booleans must be JSON booleans and sizes numbers;
    // then the members go through the same backend code as -object.
    private static QemuOpts ObjectOpts(QemuJsonObject arguments)
    {
        if (!arguments.TryGet("qom-type", out object? type))
        {
            throw new QmpException("Parameter 'qom-type' is missing");
        }
        if (type is not string)
        {
            throw new QmpException("Invalid parameter type for 'qom-type', expected: string");
        }
        var text = new StringBuilder();
        foreach ((string key, object? value) in arguments.Members.OrderBy(m => m.Key == "qom-type" ? 0 : 1))
        {
            if (BackendBoolProperties.Contains(key) && value is not bool)
            {
                throw new QmpException($"Invalid parameter type for '{key}', expected: boolean");
            }
            if (BackendIntegerProperties.Contains(key) && value is not (ulong or long and >= 0L))
            {
                // The input visitor's uint64: any other JSON value, negative or not an integer.
                throw new QmpException($"Parameter '{key}' expects uint64");
            }
            if (BackendStringProperties.Contains(key) && value is not string)
            {
                throw new QmpException($"Invalid parameter type for '{key}', expected: string");
            }
            if (key == "host-nodes" && value is not List<object?>)
            {
                throw new QmpException("Invalid parameter type for 'host-nodes', expected: array");
            }
            if (key == "host-nodes" && value is List<object?> nodes)
            {
                foreach (object? node in nodes)
                {
                    AppendElement(text, key, Scalar(key, node));
                }
                continue;
            }
            AppendElement(text, key, Scalar(key, value));
        }
        return Parse(text.ToString(), QemuOpts.ParseMode.KeyVal);
    }

    // device_add turns its arguments into QemuOpts (qemu_opts_from_qdict): every scalar becomes text.
    private static QemuOpts DeviceOpts(QemuJsonObject arguments)
    {
        var text = new StringBuilder();
        foreach ((string key, object? value) in arguments.Members)
        {
            // A non-string id is no id, and members that are not scalars are dropped.
            if (value is string or bool or long or ulong or double)
            {
                if (key != "id" || value is string)
                {
                    AppendElement(text, key, Scalar(key, value));
                }
            }
        }
        return Parse(text.ToString(), QemuOpts.ParseMode.QemuOpts);
    }

    private static QemuOpts Parse(string text, QemuOpts.ParseMode mode)
    {
        try
        {
            return QemuOpts.Parse(text, null, mode);
        }
        catch (QemuOptionException e)
        {
            throw new QmpException(e.Message);
        }
    }

    private static string Scalar(string key, object? value) => value switch
    {
        string s => s,
        bool b => b ? "on" : "off",
        long or ulong => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => throw new QmpException($"Invalid parameter type for '{key}', expected: string"),
    };

    // "key=value" with QemuOpts' comma escape.
    private static void AppendElement(StringBuilder text, string key, string value)
    {
        if (text.Length > 0)
        {
            text.Append(',');
        }
        text.Append(key).Append('=').Append(value.Replace(",", ",,", StringComparison.Ordinal));
    }
}
