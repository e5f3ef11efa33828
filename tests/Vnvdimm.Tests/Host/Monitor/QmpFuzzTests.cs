using System.Diagnostics;
using System.Text;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>
/// 500 malformed QMP messages (fixed seed) sent to the real server over a unix socket: every one
/// that QEMU would answer gets exactly one reply line, the server survives, and a final
/// query-status still works.
/// </summary>
public sealed class QmpFuzzTests
{
    private const int Messages = 500;

    // Each generator yields one message (one line) that QEMU answers with exactly one reply:
    // a complete top-level value, so no message leaves the parser inside an open value.
    private static readonly Func<Random, string>[] Generators =
    [
        r => "{\"execute\": \"" + Word(r) + "\"}",                                         // unknown command
        r => "{\"arguments\": {\"a\": " + r.Next() + "}}",                                 // missing execute
        r => "{\"execute\": " + r.Next() + "}",                                            // execute not a string
        r => "{\"execute\": \"query-status\", \"arguments\": " + r.Next() + "}",           // arguments not an object
        r => "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-ram\", \"id\": " + Value(r) + ", \"size\": " + Value(r) + "}}",
        r => "{\"execute\": \"device_add\", \"arguments\": {\"driver\": " + Value(r) + ", \"memdev\": " + Value(r) + ", \"slot\": " + Value(r) + "}}",
        r => "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": " + Value(r) + "}}",
        r => "{\"execute\": \"query-status\", \"id\": " + new string('9', r.Next(20, 400)) + "}", // huge number
        r => "{\"execute\": \"query-status\", \"id\": " + new string('[', 1024),           // nesting over the limit at the last '[': one error, clean state
        r => "{\"execute\": \"query-status\", \"id\": " + Nested(r.Next(1, 200)) + "}",    // deep but allowed
        r => "{\"execute\": \"query-status\", \"id\": \"" + new string('x', r.Next(10_000, 200_000)) + "\"}", // long string
        r => "{\"execute\": \"query-version\", \"id\": \"" + new string('\u00e9', r.Next(1, 50)) + "\"}",
        r => "[" + r.Next() + ", \"" + Word(r) + "\"]",                                   // not an object
        r => Word(r),                                                                      // invalid keyword
        r => "{\"execute\" " + r.Next() + "}",                                             // missing colon
        r => "{\"execute\": \"query-status\",}",                                           // trailing comma
        r => "{\"execute\": \"query-status\", \"execute\": \"quit\"}",                      // duplicate key
        r => "{'execute': '" + Word(r) + "'}",                                             // single quotes
    ];

    private static string Word(Random r)
    {
        var text = new StringBuilder();
        int length = r.Next(1, 16);
        for (int i = 0; i < length; i++)
        {
            text.Append((char)('a' + r.Next(26)));
        }
        return text.ToString();
    }

    private static string Value(Random r) => r.Next(9) switch
    {
        0 => "null",
        1 => "true",
        2 => r.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => "-" + r.Next(),
        4 => "1.5e" + r.Next(400),
        5 => "[" + r.Next() + "]",
        6 => "{\"k\": \"" + Word(r) + "\"}",
        7 => "\"" + Word(r) + "\"",
        _ => "18446744073709551616",
    };

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Fact]
    public void Five_hundred_malformed_messages_are_each_answered_and_the_server_survives()
    {
        var watch = Stopwatch.StartNew();
        using var rig = new MonitorTestMachine();
        using var server = new QmpServer(MonitorCommands.For(rig.Machine), MonitorEndpoint.Parse($"unix:{rig.Scratch.File("fuzz.sock")},server=on,wait=off"));
        var random = new Random(20261206);
        int answered = 0;
        QmpTestClient client = Open(server);
        try
        {
            for (int i = 0; i < Messages; i++)
            {
                if (i % 100 == 99)
                {
                    // Garbage that is not JSON at all (control bytes, binary, stray closers and
                    // invalid UTF-8) with its own connection: how many replies QEMU gives depends on
                    // its lexer's recovery, so only survival is asserted for these.
                    using QmpTestClient raw = Open(server);
                    byte[] garbage = new byte[random.Next(1, 2048)];
                    random.NextBytes(garbage);
                    raw.Socket.Send(garbage);
                    raw.Socket.Send("\n}\n]\n"u8.ToArray());
                    continue;
                }
                string message = Generators[random.Next(Generators.Length)](random);
                string? reply = client.Call(message);
                Assert.True(reply.StartsWith("{\"return\"", StringComparison.Ordinal) || reply.StartsWith("{\"error\"", StringComparison.Ordinal)
                    || reply.StartsWith("{\"id\"", StringComparison.Ordinal), $"message {i}: {message[..Math.Min(200, message.Length)]} -> {reply}");
                answered++;
            }
            Assert.Equal("{\"return\": {\"running\": true, \"singlestep\": false, \"status\": \"running\"}}".Length,
                client.Call("{\"execute\": \"query-status\"}").Length);
            Assert.Equal("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}}", client.Call("{\"execute\": \"query-status\"}"));
        }
        finally
        {
            client.Dispose();
        }
        Assert.True(answered >= Messages - Messages / 100);
        // A fresh client is served too.
        using QmpTestClient after = Open(server);
        Assert.Contains("\"running\": true", after.Call("{\"execute\": \"query-status\"}"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    private static QmpTestClient Open(QmpServer server)
    {
        var client = new QmpTestClient(server.LocalEndPoint);
        Assert.StartsWith("{\"QMP\": ", client.ReadLine());
        Assert.Equal("{\"return\": {}}", client.Call("{\"execute\": \"qmp_capabilities\"}"));
        return client;
    }
}
