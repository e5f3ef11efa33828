using System.Net;
using System.Net.Sockets;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>Bad clients get an error or are dropped; the server keeps serving the others. Loopback and unix sockets only.</summary>
public sealed class QmpServerRobustnessTests
{
    private const string Capabilities = "{\"execute\": \"qmp_capabilities\"}";
    private const string Ok = "{\"return\": {}}";

    private static QmpTestClient Connect(QmpServer server)
    {
        var client = new QmpTestClient(server.LocalEndPoint);
        Assert.StartsWith("{\"QMP\": ", client.ReadLine());
        return client;
    }

    [Fact]
    public void Tcp_loopback_serves_several_clients_with_their_own_negotiation()
    {
        using var rig = new MonitorTestMachine();
        using var server = new QmpServer(MonitorCommands.For(rig.Machine), MonitorEndpoint.Parse("tcp:127.0.0.1:0,server=on,wait=off"));
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)server.LocalEndPoint).Address);
        using QmpTestClient first = Connect(server);
        using QmpTestClient second = Connect(server);
        Assert.Equal(Ok, first.Call(Capabilities));
        Assert.Contains("Expecting capabilities negotiation", second.Call("{\"execute\": \"query-version\"}"));
        Assert.Equal(Ok, second.Call(Capabilities));
        // Both at once: each request gets its own reply, in order.
        first.Send("{\"execute\": \"query-version\", \"id\": 1}{\"execute\": \"query-version\", \"id\": 2}\n");
        second.SendLine("{\"execute\": \"query-memory-size-summary\", \"id\": \"b\"}");
        Assert.EndsWith("\"id\": 1}", first.ReadLine());
        Assert.EndsWith("\"id\": 2}", first.ReadLine());
        Assert.EndsWith("\"id\": \"b\"}", second.ReadLine());
    }

    [Fact]
    public void Unknown_command_and_malformed_json_leave_the_connection_usable()
    {
        using var rig = new MonitorTestMachine();
        using var server = new QmpServer(MonitorCommands.For(rig.Machine), MonitorEndpoint.Parse($"unix:{rig.Scratch.File("q.sock")},server=on,wait=off"));
        using QmpTestClient client = Connect(server);
        Assert.Equal(Ok, client.Call(Capabilities));
        Assert.Contains("The command nope has not been found", client.Call("{\"execute\": \"nope\"}"));
        Assert.Contains("JSON parse error", client.Call("{\"execute\": }"));
        Assert.Contains("invalid keyword 'garbage'", client.Call("garbage"));
        Assert.Contains("\"micro\": 22", client.Call("{\"execute\": \"query-version\"}"));
    }

    [Fact]
    public void A_token_over_the_size_limit_is_answered_with_one_error_and_the_lexer_starts_afresh()
    {
        using var rig = new MonitorTestMachine();
        using var server = new QmpServer(MonitorCommands.For(rig.Machine), MonitorEndpoint.Parse("tcp:127.0.0.1:0,server=on,wait=off"), maxTokenBytes: 64 * 1024);
        using QmpTestClient client = Connect(server);
        Assert.Equal(Ok, client.Call(Capabilities));
        // QEMU's lexer gives up on the string at the limit; the newline then starts a new token.
        client.SendLine("\"" + new string('x', 64 * 1024));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON token size limit exceeded\"}}", client.ReadLine());
        Assert.Contains("\"id\": 7", client.Call("{\"execute\": \"query-version\", \"id\": 7}"));
    }

    [Fact]
    public void A_client_that_disconnects_mid_command_does_not_stop_the_server()
    {
        using var rig = new MonitorTestMachine();
        using var server = new QmpServer(MonitorCommands.For(rig.Machine), MonitorEndpoint.Parse("tcp:127.0.0.1:0,server=on,wait=off"));
        using (QmpTestClient quitter = Connect(server))
        {
            Assert.Equal(Ok, quitter.Call(Capabilities));
            // Half a request, then gone.
            quitter.Send("{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": ");
            quitter.Socket.Shutdown(SocketShutdown.Both);
        }
        using (QmpTestClient rude = Connect(server))
        {
            // A whole request whose reply nobody reads.
            rude.Send(rig.ObjectAddJson("mem9", "m9.img") + "\n");
            rude.Socket.LingerState = new LingerOption(true, 0);
        }
        using QmpTestClient other = Connect(server);
        Assert.Equal(Ok, other.Call(Capabilities));
        Assert.Contains("\"micro\": 22", other.Call("{\"execute\": \"query-version\"}"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (server.ClientCount > 1 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }
        Assert.Equal(1, server.ClientCount);
    }
}
