using System.Text;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>
/// Unexpected failures answered and survived, QMP commands and events, and monitor disposal.
/// Expected texts were printed by qemu-system-x86_64 7.2 (Debian 1:7.2+dfsg-7+deb12u18) over a QMP socket.
/// </summary>
public sealed class MonitorFailureAndEventTests
{
    private const string Capabilities = "{\"execute\": \"qmp_capabilities\"}";
    private static string ShutdownPattern(string guest, string reason) =>
        "^\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}, \"event\": \"SHUTDOWN\", \"data\": \\{\"guest\": " + guest + ", \"reason\": \"" + reason + "\"\\}\\}$";

    private static string One(QmpSession session, string json) => Assert.Single(session.Handle(Encoding.UTF8.GetBytes(json)));

    private static QmpTestClient Connect(QmpServer server, bool negotiate = true)
    {
        var client = new QmpTestClient(server.LocalEndPoint);
        Assert.StartsWith("{\"QMP\": ", client.ReadLine());
        if (negotiate)
        {
            Assert.Equal("{\"return\": {}}", client.Call(Capabilities));
        }
        return client;
    }

    [Fact]
    public void A_command_that_throws_is_a_generic_error_and_the_qmp_session_goes_on()
    {
        using var rig = new MonitorTestMachine();
        MonitorCommands commands = MonitorCommands.For(rig.Machine);
        commands.BeforeCommand = name =>
        {
            if (name == "query-memdev")
            {
                throw new InvalidOperationException("internal failure");
            }
        };
        var session = new QmpSession(commands);
        Assert.Equal("{\"return\": {}}", One(session, Capabilities));
        Assert.Equal("{\"id\": 4, \"error\": {\"class\": \"GenericError\", \"desc\": \"internal failure\"}}", One(session, "{\"execute\": \"query-memdev\", \"id\": 4}"));
        Assert.Equal("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}", One(session, "{\"execute\": \"query-status\"}"));
    }

    [Fact]
    public void A_command_that_throws_is_an_hmp_error_line_and_the_monitor_goes_on()
    {
        using var rig = new MonitorTestMachine();
        MonitorCommands.For(rig.Machine).BeforeCommand = line =>
        {
            if (line.StartsWith("info memdev", StringComparison.Ordinal))
            {
                throw new IndexOutOfRangeException("Index was outside the bounds of the array.");
            }
        };
        var output = new StringWriter { NewLine = "\n" };
        new HumanMonitor(rig.Machine, output).Run(new StringReader("info memdev\ninfo version\n"));
        Assert.Equal("QEMU 7.2.22 monitor - type 'help' for more information\n(qemu) Error: Index was outside the bounds of the array.\n(qemu) 7.2.22\n(qemu) ", output.ToString());
    }

    [Fact]
    public void Query_status_and_human_monitor_command_answer_as_qemu()
    {
        using var rig = new MonitorTestMachine();
        var session = new QmpSession(MonitorCommands.For(rig.Machine));
        One(session, Capabilities);
        Assert.Equal("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}", One(session, "{\"execute\": \"query-status\"}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'x' is unexpected\"}}", One(session, "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}}"));
        Assert.Equal("{\"return\": \"7.2.22\\r\\n\"}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info version\"}}"));
        Assert.Equal("{\"return\": \"7.2.22\\r\\n\"}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info version\", \"cpu-index\": 0}}"));
        Assert.Equal("{\"return\": \"unknown command: 'nope'\\r\\n\"}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"nope\"}}"));
        Assert.Equal("{\"return\": \"\"}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"\"}}"));
        Assert.Equal("{\"return\": \"quit|q  -- quit the emulator\\r\\n\"}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"help quit\"}}"));
        Assert.Equal("{\"return\": \"\"}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"object_add memory-backend-ram,id=r1,size=1M\"}}"));
        Assert.Equal("{\"return\": \"Error: attempt to add duplicate property 'r1' to object (type 'container')\\r\\n\"}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"object_add memory-backend-ram,id=r1,size=1M\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for 'command-line', expected: string\"}}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": 5}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'command-line' is missing\"}}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for 'cpu-index', expected: integer\"}}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info version\", \"cpu-index\": \"a\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'x' is unexpected\"}}", One(session, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info version\", \"x\": 1}}"));
    }

    [Theory]
    [InlineData("{\"qom-type\": \"memory-backend-ram\", \"id\": 1, \"size\": 1048576}", "Invalid parameter type for 'id', expected: string")]
    [InlineData("{\"qom-type\": 1, \"id\": \"x\"}", "Invalid parameter type for 'qom-type', expected: string")]
    [InlineData("{\"qom-type\": \"memory-backend-ram\", \"id\": \"x\", \"size\": \"1M\"}", "Parameter 'size' expects uint64")]
    [InlineData("{\"qom-type\": \"memory-backend-ram\", \"id\": \"x\", \"size\": 1.5}", "Parameter 'size' expects uint64")]
    [InlineData("{\"qom-type\": \"memory-backend-ram\", \"id\": \"x\", \"size\": 99999999999999999999999}", "Parameter 'size' expects uint64")]
    [InlineData("{\"qom-type\": \"memory-backend-file\", \"id\": \"x\", \"size\": 1048576, \"mem-path\": 1}", "Invalid parameter type for 'mem-path', expected: string")]
    [InlineData("{\"qom-type\": \"memory-backend-ram\", \"id\": \"x\", \"size\": 1048576, \"share\": \"yes\"}", "Invalid parameter type for 'share', expected: boolean")]
    [InlineData("{\"qom-type\": \"memory-backend-ram\", \"id\": \"x\", \"size\": 1048576, \"host-nodes\": \"a\"}", "Invalid parameter type for 'host-nodes', expected: array")]
    [InlineData("{\"qom-type\": \"memory-backend-ram\", \"id\": \"x\", \"size\": 1048576, \"policy\": 1}", "Invalid parameter type for 'policy', expected: string")]
    [InlineData("{\"qom-type\": \"memory-backend-ram\", \"size\": 1048576}", "Parameter 'id' is missing")]
    public void Object_add_argument_types_as_qemu(string arguments, string desc)
    {
        using var rig = new MonitorTestMachine();
        var session = new QmpSession(MonitorCommands.For(rig.Machine));
        One(session, Capabilities);
        Assert.Equal($"{{\"error\": {{\"class\": \"GenericError\", \"desc\": \"{desc}\"}}}}", One(session, $"{{\"execute\": \"object-add\", \"arguments\": {arguments}}}"));
    }

    [Theory]
    // qemu_opts_from_qdict: a non-string id and non-scalar members are dropped, numbers become text.
    [InlineData("{\"driver\": \"nvdimm\", \"id\": 1}", "GenericError", "'memdev' property must be set")]
    [InlineData("{\"driver\": \"nvdimm\", \"memdev\": [\"a\"]}", "GenericError", "'memdev' property must be set")]
    [InlineData("{\"driver\": \"nvdimm\", \"memdev\": null}", "GenericError", "'memdev' property must be set")]
    [InlineData("{\"driver\": \"nvdimm\", \"memdev\": {\"a\": 1}}", "GenericError", "'memdev' property must be set")]
    [InlineData("{\"driver\": \"nvdimm\", \"memdev\": 1.5}", "DeviceNotFound", "Device '1.5' not found")]
    [InlineData("{\"driver\": 1}", "GenericError", "'1' is not a valid device model name")]
    public void Device_add_argument_types_as_qemu(string arguments, string errorClass, string desc)
    {
        using var rig = new MonitorTestMachine();
        var session = new QmpSession(MonitorCommands.For(rig.Machine));
        One(session, Capabilities);
        Assert.Equal($"{{\"error\": {{\"class\": \"{errorClass}\", \"desc\": \"{desc}\"}}}}", One(session, $"{{\"execute\": \"device_add\", \"arguments\": {arguments}}}"));
    }

    [Theory]
    [InlineData("object-del")]
    [InlineData("device_del")]
    public void Del_commands_want_a_string_id(string command)
    {
        using var rig = new MonitorTestMachine();
        var session = new QmpSession(MonitorCommands.For(rig.Machine));
        One(session, Capabilities);
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for 'id', expected: string\"}}", One(session, $"{{\"execute\": \"{command}\", \"arguments\": {{\"id\": 5}}}}"));
    }

    [Fact]
    public void Quit_sends_shutdown_to_every_negotiated_client()
    {
        using var rig = new MonitorTestMachine();
        MonitorCommands commands = MonitorCommands.For(rig.Machine);
        int quits = 0;
        commands.QuitRequested += () => Interlocked.Increment(ref quits);
        using var first = new QmpServer(commands, MonitorEndpoint.Parse($"unix:{rig.Scratch.File("a.sock")},server=on,wait=off"));
        using var second = new QmpServer(commands, MonitorEndpoint.Parse("tcp:127.0.0.1:0,server=on,wait=off"));
        using QmpTestClient quitter = Connect(first);
        using QmpTestClient watcher = Connect(second);
        using QmpTestClient sameSocket = Connect(first);
        using QmpTestClient unnegotiated = Connect(second, negotiate: false);
        quitter.SendLine("{\"execute\": \"quit\", \"id\": 3}");
        Assert.Matches(ShutdownPattern("false", "host-qmp-quit"), quitter.ReadLine());
        Assert.Equal("{\"return\": {}, \"id\": 3}", quitter.ReadLine());
        Assert.Null(quitter.ReadLine());
        Assert.Matches(ShutdownPattern("false", "host-qmp-quit"), watcher.ReadLine());
        Assert.Matches(ShutdownPattern("false", "host-qmp-quit"), sameSocket.ReadLine());
        // Events go only to clients past capabilities negotiation (QEMU's monitor_qapi_event_emit).
        Assert.Contains("Expecting capabilities negotiation", unnegotiated.Call("{\"execute\": \"query-status\"}"));
        Assert.Equal(1, quits);
    }

    [Fact]
    public void Hmp_quit_and_guest_power_off_send_shutdown_once()
    {
        using var rig = new MonitorTestMachine();
        MonitorCommands commands = MonitorCommands.For(rig.Machine);
        using var server = new QmpServer(commands, MonitorEndpoint.Parse("tcp:127.0.0.1:0,server=on,wait=off"));
        using QmpTestClient client = Connect(server);
        commands.PowerOff();
        Assert.Matches(ShutdownPattern("true", "guest-shutdown"), client.ReadLine());
        // One SHUTDOWN per machine: a later quit does not repeat it.
        new HumanMonitor(rig.Machine, TextWriter.Null).Execute("quit");
        Assert.Equal("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}", client.Call("{\"execute\": \"query-status\"}"));
    }

    [Fact]
    public void Hmp_quit_reaches_qmp_clients_with_qemus_reason()
    {
        using var rig = new MonitorTestMachine();
        MonitorCommands commands = MonitorCommands.For(rig.Machine);
        using var server = new QmpServer(commands, MonitorEndpoint.Parse("tcp:127.0.0.1:0,server=on,wait=off"));
        using QmpTestClient client = Connect(server);
        Assert.False(new HumanMonitor(rig.Machine, TextWriter.Null).Execute("quit"));
        Assert.Matches(ShutdownPattern("false", "host-qmp-quit"), client.ReadLine());
    }

    [Fact]
    public void Disposing_a_listener_closes_its_clients_and_waits_for_their_sessions()
    {
        using var rig = new MonitorTestMachine();
        var started = new ManualResetEventSlim();
        int running = 0, finished = 0;
        var listener = new MonitorListener(MonitorEndpoint.Parse("tcp:127.0.0.1:0,server=on,wait=off"));
        listener.Start(async (stream, stop) =>
        {
            Interlocked.Increment(ref running);
            started.Set();
            byte[] buffer = new byte[16];
            try
            {
                // Blocks until the listener closes the connection.
                while (await stream.ReadAsync(buffer, CancellationToken.None) > 0)
                {
                }
            }
            finally
            {
                // Work after the connection closed still completes before Dispose returns.
                Thread.Sleep(200);
                Interlocked.Increment(ref finished);
            }
        });
        using var client = new QmpTestClient(listener.LocalEndPoint);
        Assert.True(started.Wait(5000));
        listener.Dispose();
        Assert.Equal(1, Volatile.Read(ref finished));
        Assert.Equal(0, listener.ClientCount);
    }
}

/// <summary>QEMU 7.2's JSON lexer extensions, checked over a QMP socket.</summary>
public sealed class QmpJsonExtensionTests
{
    [Theory]
    [InlineData("{'execute':'qmp_capabilities'}", "{\"return\": {}}")]
    [InlineData("{'execute':'query-status', 'id': 'a\"b'}", "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": \"a\\\"b\"}")]
    [InlineData("{\"execute\":'query-status', 'id': \"it's\"}", "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": \"it's\"}")]
    [InlineData("{'execute':'query-status', 'id': 'it\\'s'}", "{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": \"it's\"}")]
    [InlineData("{\"execute\":\"query-status\",\"execute\":\"query-version\"}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, duplicate key\"}}")]
    public void Single_quotes_and_duplicate_keys_as_qemu(string request, string reply)
    {
        using var rig = new MonitorTestMachine();
        var session = new QmpSession(MonitorCommands.For(rig.Machine));
        if (!request.Contains("qmp_capabilities", StringComparison.Ordinal))
        {
            Assert.Equal("{\"return\": {}}", Assert.Single(session.Handle(Encoding.UTF8.GetBytes("{\"execute\": \"qmp_capabilities\"}"))));
        }
        Assert.Equal(reply, Assert.Single(session.Handle(Encoding.UTF8.GetBytes(request))));
    }
}
