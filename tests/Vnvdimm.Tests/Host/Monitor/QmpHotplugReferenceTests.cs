using System.Net.Sockets;
using System.Text.RegularExpressions;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Host.Monitor.Qmp;
using Vnvdimm.Tests.Guest.Acpi;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>
/// The shared hotplug reference replayed over a unix-socket QMP server: qmp-commands.jsonl in,
/// qmp.log out, byte for byte (the greeting's package string aside; mem-path rewritten).
/// </summary>
public sealed partial class QmpHotplugReferenceTests
{
    private static string HotplugDirectory => Path.Combine(ReferenceData.Root, "hotplug");

    [Fact]
    public void Replaying_the_reference_exchange_gives_qemus_replies()
    {
        using var scratch = new ScratchDirectory();
        string[] args = File.ReadAllText(Path.Combine(HotplugDirectory, "qemu-args.txt"))
            .Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(a => MemPath().Replace(a, m => "mem-path=" + scratch.File(m.Groups[1].Value)))
            .ToArray();
        using VirtualMachine machine = VirtualMachine.Create(args, StderrSink.Collect(new List<string>(), "vnvdimm"));
        string socketPath = scratch.File("qmp.sock");
        using var server = new QmpServer(MonitorCommands.For(machine), MonitorEndpoint.Parse($"unix:{socketPath},server=on,wait=off"));

        string[] expected = File.ReadAllLines(Path.Combine(HotplugDirectory, "qmp.log"));
        using var client = new QmpTestClient(new UnixDomainSocketEndPoint(socketPath));
        Assert.Equal(Package().Replace(expected[0], "\"package\": \"\""), client.ReadLine());
        int line = 1;
        foreach (string command in File.ReadAllLines(Path.Combine(HotplugDirectory, "qmp-commands.jsonl")).Where(l => l.Length > 0))
        {
            string rewritten = MemPath().Replace(command, m => "mem-path=" + scratch.File(m.Groups[1].Value));
            rewritten = Regex.Replace(rewritten, "\"mem-path\": \"([^\"]+)\"", m => $"\"mem-path\": \"{scratch.File(m.Groups[1].Value)}\"");
            Assert.Equal(expected[line++], client.Call(rewritten));
        }
        Assert.Equal(expected.Length, line);
        Assert.True(File.Exists(scratch.File("hpb.img")));
    }

    [GeneratedRegex("mem-path=([^,]+)")]
    private static partial Regex MemPath();

    [GeneratedRegex("\"package\": \"[^\"]*\"")]
    private static partial Regex Package();
}
