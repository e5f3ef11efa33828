using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Vnvdimm.Host.Json;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>
/// Malformed QMP input answered byte for byte as QEMU 7.2 answers it: the replies captured from
/// QEMU (tests/Fixtures/qemu-7.2/qmp-parse-errors/cases.txt, see its README) against the same
/// bytes fed to vnvdimm's QMP stream, and, when qemu-system-x86_64 is installed, against QEMU live.
/// </summary>
public sealed class QmpParseErrorTests
{
    // Each case is followed by this request; its reply ends the case's replies.
    private const string Sentinel = "{\"execute\":\"query-status\",\"id\":\"end\"}";

    // QEMU was captured with -S; vnvdimm's machine is always running, so query-status differs
    // in its state only.
    private const string QemuStatus = "{\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}";
    private const string VnvdimmStatus = "{\"status\": \"running\", \"singlestep\": false, \"running\": true}";

    private sealed record Case(string Name, string Input, IReadOnlyList<string> Replies)
    {
        public byte[] Bytes()
        {
            var bytes = new List<byte>();
            foreach (string segment in Input.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = segment.Split('*');
                byte[] chunk = Convert.FromHexString(parts[0]);
                int count = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 1;
                for (int i = 0; i < count; i++)
                {
                    bytes.AddRange(chunk);
                }
            }
            bytes.AddRange(Encoding.ASCII.GetBytes("\n" + Sentinel + "\n"));
            return [.. bytes];
        }
    }

    private static readonly Lazy<IReadOnlyDictionary<string, Case>> Cases = new(Load);

    private static IReadOnlyDictionary<string, Case> Load()
    {
        string folder = ReferenceData.Case("qmp-parse-errors");
        var cases = new Dictionary<string, Case>();
        string? name = null;
        string? input = null;
        var replies = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(folder, "cases.txt")).Append(""))
        {
            if (line.StartsWith("case: ", StringComparison.Ordinal))
            {
                name = line["case: ".Length..];
            }
            else if (line.StartsWith("input: ", StringComparison.Ordinal))
            {
                input = line["input: ".Length..];
            }
            else if (line.StartsWith("reply: ", StringComparison.Ordinal))
            {
                replies.Add(line["reply: ".Length..]);
            }
            else if (line.Length == 0 && name is not null && input is not null)
            {
                cases.Add(name, new Case(name, input, [.. replies]));
                name = null;
                input = null;
                replies.Clear();
            }
        }
        return cases;
    }

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in Cases.Value.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    [Fact]
    public void The_fixture_holds_the_captured_cases_each_ending_with_the_sentinel_reply()
    {
        Assert.True(Cases.Value.Count >= 40, $"{Cases.Value.Count} cases");
        Assert.All(Cases.Value.Values, c => Assert.EndsWith("\"id\": \"end\"}", c.Replies[^1], StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Vnvdimm_answers_as_QEMU_7_2(string name)
    {
        Case c = Cases.Value[name];
        using var rig = new MonitorTestMachine();
        using var session = new QmpSession(MonitorCommands.For(rig.Machine));
        Assert.Equal("{\"return\": {}}", Assert.Single(session.Handle("{\"execute\":\"qmp_capabilities\"}"u8.ToArray())));
        // The bytes as one stream, never ended: QEMU only resets its lexer when the client leaves.
        var streamer = new QemuJsonStreamer();
        List<string> replies = [.. streamer.Feed(c.Bytes()).SelectMany(session.Handle)];
        Assert.Equal(c.Replies.Select(r => r.Replace(QemuStatus, VnvdimmStatus, StringComparison.Ordinal)), replies);
    }

    [Fact]
    public void The_server_answers_the_cases_sent_in_small_pieces_as_QEMU()
    {
        using var rig = new MonitorTestMachine();
        using var server = new QmpServer(MonitorCommands.For(rig.Machine), MonitorEndpoint.Parse("tcp:127.0.0.1:0,server=on,wait=off"));
        foreach (Case c in Cases.Value.Values.Where(c => c.Input.Length < 4096 && c.Replies.Count < 10))
        {
            Assert.Equal(c.Replies.Select(r => r.Replace(QemuStatus, VnvdimmStatus, StringComparison.Ordinal)), Exchange(server.LocalEndPoint, c.Bytes(), 7));
        }
    }

    [Fact]
    public void Live_QEMU_still_answers_as_the_fixture()
    {
        string qemu = ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
        string socketPath = Path.Combine(Path.GetTempPath(), $"vnvdimm-qmp-parse-{Environment.ProcessId}.sock");
        using var process = Process.Start(new ProcessStartInfo(qemu, ["-S", "-display", "none", "-nodefaults", "-qmp", $"unix:{socketPath},server=on,wait=off"])
        {
            RedirectStandardError = true,
        })!;
        try
        {
            for (int i = 0; i < 100 && !File.Exists(socketPath); i++)
            {
                Thread.Sleep(100);
            }
            foreach (Case c in Cases.Value.Values.Where(c => c.Input.Length < 4096 && c.Replies.Count < 10))
            {
                Assert.Equal(c.Replies, Exchange(new UnixDomainSocketEndPoint(socketPath), c.Bytes(), 0));
            }
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
            File.Delete(socketPath);
        }
    }

    // One connection: negotiation, then the bytes (in pieces of pieceSize, 0 for all at once),
    // then every reply up to the sentinel's.
    private static List<string> Exchange(System.Net.EndPoint endpoint, byte[] bytes, int pieceSize)
    {
        using var client = new QmpTestClient(endpoint);
        Assert.StartsWith("{\"QMP\": ", client.ReadLine());
        Assert.Equal("{\"return\": {}}", client.Call("{\"execute\":\"qmp_capabilities\"}"));
        for (int offset = 0; offset < bytes.Length; offset += pieceSize == 0 ? bytes.Length : pieceSize)
        {
            client.Socket.Send(bytes.AsSpan(offset, Math.Min(pieceSize == 0 ? bytes.Length : pieceSize, bytes.Length - offset)));
        }
        var replies = new List<string>();
        while (client.ReadLine() is string line)
        {
            replies.Add(line);
            if (line.EndsWith("\"id\": \"end\"}", StringComparison.Ordinal))
            {
                break;
            }
        }
        return replies;
    }
}
