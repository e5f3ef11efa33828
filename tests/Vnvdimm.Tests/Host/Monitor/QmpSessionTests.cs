using System.Text;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>QMP protocol texts, each checked against qemu-system-x86_64 7.2 (Debian 1:7.2+dfsg-7+deb12u18).</summary>
public sealed class QmpSessionTests
{
    private static string One(QmpSession session, string json) => Assert.Single(session.Handle(Encoding.UTF8.GetBytes(json)));

    private static QmpSession Negotiated(MonitorTestMachine rig)
    {
        var session = new QmpSession(MonitorCommands.For(rig.Machine));
        Assert.Equal("{\"return\": {}}", One(session, "{\"execute\": \"qmp_capabilities\"}"));
        return session;
    }

    [Fact]
    public void Greeting_has_qemus_member_order_and_spacing()
    {
        Assert.Equal("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}", QmpSession.Greeting);
    }

    [Fact]
    public void Negotiation_and_id_echo()
    {
        using var rig = new MonitorTestMachine();
        var session = new QmpSession(MonitorCommands.For(rig.Machine));
        Assert.Equal("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Expecting capabilities negotiation with 'qmp_capabilities'\"}}", One(session, "{\"execute\": \"query-version\"}"));
        Assert.Equal("{\"return\": {}, \"id\": 5}", One(session, "{\"execute\": \"qmp_capabilities\", \"id\": 5}"));
        Assert.Equal("{\"id\": \"x\", \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"Capabilities negotiation is already complete, command ignored\"}}", One(session, "{\"execute\": \"qmp_capabilities\", \"id\": \"x\"}"));
        Assert.Equal("{\"id\": [1, 2], \"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command foo has not been found\"}}", One(session, "{\"execute\": \"foo\", \"id\": [1,2]}"));
        Assert.Equal("{\"return\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"id\": {\"a\": 1}}", One(session, "{\"execute\": \"query-version\", \"id\": {\"a\": 1}}"));
    }

    [Theory]
    [InlineData("{\"id\": 3}", "{\"id\": 3, \"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input lacks member 'execute'\"}}")]
    [InlineData("[1]", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}")]
    [InlineData("\"str\"", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input must be a JSON object\"}}")]
    [InlineData("{\"execute\": 1}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'execute' must be a string\"}}")]
    [InlineData("{\"execute\": \"query-version\", \"arguments\": 3}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'arguments' must be an object\"}}")]
    [InlineData("{\"execute\": \"query-version\", \"bogus\": 3}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"QMP input member 'bogus' is unexpected\"}}")]
    [InlineData("bad", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, invalid keyword 'bad'\"}}")]
    [InlineData("{\"execute\": }", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}")]
    [InlineData("}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error, expecting value\"}}")]
    [InlineData("{\"execute\": \"query-memory-devices\", \"arguments\": {\"x\": 1}}", "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'x' is unexpected\"}}")]
    public void Malformed_requests_get_qemus_errors(string request, string reply)
    {
        using var rig = new MonitorTestMachine();
        Assert.Equal(reply, One(Negotiated(rig), request));
    }

    [Fact]
    public void Queries_and_refusals_match_qemu()
    {
        using var rig = new MonitorTestMachine();
        QmpSession session = Negotiated(rig);
        Assert.Equal("{\"return\": [{\"share\": true, \"reserve\": true, \"prealloc\": false, \"host-nodes\": [], \"size\": 268435456, \"merge\": true, \"dump\": true, \"policy\": \"default\", \"id\": \"mem1\"}, {\"share\": false, \"reserve\": true, \"prealloc\": false, \"host-nodes\": [], \"size\": 536870912, \"merge\": true, \"dump\": true, \"policy\": \"default\", \"id\": \"pc.ram\"}]}",
            One(session, "{\"execute\": \"query-memdev\"}"));
        Assert.Equal("{\"return\": {\"base-memory\": 536870912, \"plugged-memory\": 268304384}}", One(session, "{\"execute\": \"query-memory-size-summary\"}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"object 'mem1' is in use, can not be deleted\"}}", One(session, "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"mem1\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"object 'nope' not found\"}}", One(session, "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"nope\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'id' is missing\"}}", One(session, "{\"execute\": \"object-del\"}"));
        Assert.Equal("{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'nope' not found\"}}", One(session, "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"nope\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"nvdimm device hot unplug is not supported yet.\"}}", One(session, "{\"execute\": \"device_del\", \"arguments\": {\"id\": \"nvdimm1\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Duplicate device ID 'nvdimm1'\"}}", One(session, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"nvdimm\", \"id\": \"nvdimm1\", \"memdev\": \"mem1\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"can't use already busy memdev: mem1\"}}", One(session, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"nvdimm\", \"id\": \"nv3\", \"memdev\": \"mem1\", \"label-size\": \"128K\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"DeviceNotFound\", \"desc\": \"Device 'memx' not found\"}}", One(session, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"nvdimm\", \"id\": \"nv3\", \"memdev\": \"memx\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'driver' is missing\"}}", One(session, "{\"execute\": \"device_add\", \"arguments\": {\"id\": \"nv3\", \"memdev\": \"memx\"}}"));
    }

    [Fact]
    public void Object_add_and_del_of_a_free_backend()
    {
        using var rig = new MonitorTestMachine();
        QmpSession session = Negotiated(rig);
        const string add = "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-ram\", \"id\": \"r1\", \"size\": 1048576}}";
        Assert.Equal("{\"return\": {}}", One(session, add));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"attempt to add duplicate property 'r1' to object (type 'container')\"}}", One(session, add));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'size' expects uint64\"}}", One(session, "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-ram\", \"id\": \"r2\", \"size\": \"1M\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Parameter 'size' is missing\"}}", One(session, "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-ram\", \"id\": \"r2\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter type for 'share', expected: boolean\"}}", One(session, "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-ram\", \"id\": \"r3\", \"size\": 1048576, \"share\": \"on\"}}"));
        Assert.Equal("{\"error\": {\"class\": \"GenericError\", \"desc\": \"backend memory size must be multiple of 0x200000\"}}", One(session, "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"pc-dimm\", \"id\": \"d1\", \"memdev\": \"r1\"}}"));
        Assert.Equal("{\"return\": {}}", One(session, "{\"execute\": \"object-del\", \"arguments\": {\"id\": \"r1\"}}"));
        Assert.Equal(2, MonitorCommands.For(rig.Machine).Memdevs().Count);
    }

    [Fact]
    public void Quit_sends_shutdown_then_the_reply()
    {
        using var rig = new MonitorTestMachine();
        QmpSession session = Negotiated(rig);
        IReadOnlyList<string> lines = session.Handle(Encoding.UTF8.GetBytes("{\"execute\": \"quit\", \"id\": 9}"));
        Assert.Equal(2, lines.Count);
        Assert.Matches("^\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}, \"event\": \"SHUTDOWN\", \"data\": \\{\"guest\": false, \"reason\": \"host-qmp-quit\"\\}\\}$", lines[0]);
        Assert.Equal("{\"return\": {}, \"id\": 9}", lines[1]);
        Assert.True(session.QuitRequested);
    }
}
