using System.Text;
using System.Diagnostics;
using System.Net.Sockets;
using Vnvdimm.Tests.Guest;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// The hotplug reference end to end through the real program: vnvdimm started with the
/// reference's options and a QMP socket, the reference's QMP commands replayed, then
/// <c>ndctl list -DRNiu</c> typed into the guest console shows what Linux showed after the hot-add.
/// </summary>
public sealed class HotplugEndToEndTests
{
    [Fact]
    public void Qmp_hot_add_reaches_the_guest_console_as_under_qemu()
    {
        using var scratch = new ScratchDirectory("vnvdimm-e2e-");
        string reference = ReferenceData.Case("hotplug");
        string socketPath = scratch.File("qmp.sock");
        using Process process = ProgramProcess.Start(scratch.Path,
            [.. GuestReferenceCases.Arguments("hotplug", scratch.Path), "-qmp", $"unix:{socketPath},server=on,wait=off"]);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            ProgramProcess.ConnectWithin(socket, new UnixDomainSocketEndPoint(socketPath), TimeSpan.FromSeconds(30));
            socket.ReceiveTimeout = 10_000;
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream);
            using var writer = new StreamWriter(stream) { NewLine = "\n", AutoFlush = true };

            // As in the capture, the guest has booted (and listed its one DIMM) before the hot-add;
            // a plug during boot would put both DIMMs in the boot-time FIT, numbered in FIT order.
            process.StandardInput.WriteLine("ndctl list -DRNiu");
            process.StandardInput.Flush();
            var before = new StringBuilder();
            for (string? line = process.StandardOutput.ReadLine(); line is not null; line = process.StandardOutput.ReadLine())
            {
                before.Append(line).Append('\n');
                if (line == "}")
                {
                    break;
                }
            }
            Assert.Equal(GuestReferenceCases.StripKernelMessages(File.ReadAllText(Path.Combine(reference, "ndctl-list-before.json"))), before.ToString());

            string[] expected = File.ReadAllLines(Path.Combine(reference, "qmp.log"));
            string greeting = reader.ReadLine()!;
            Assert.StartsWith("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}", greeting);

            // The backend file goes to the scratch folder; replies do not mention it.
            string[] commands = File.ReadAllLines(Path.Combine(reference, "qmp-commands.jsonl"))
                .Where(line => !line.Contains("\"quit\"", StringComparison.Ordinal))
                .Select(line => line.Replace("\"mem-path\": \"", $"\"mem-path\": \"{scratch.Path}/", StringComparison.Ordinal))
                .ToArray();
            for (int i = 0; i < commands.Length; i++)
            {
                writer.WriteLine(commands[i]);
                Assert.Equal(expected[i + 1], reader.ReadLine());
            }

            process.StandardInput.WriteLine("ndctl list -DRNiu");
            process.StandardInput.Close();
            string stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(0, process.ExitCode);

            string after = GuestReferenceCases.StripKernelMessages(File.ReadAllText(Path.Combine(reference, "ndctl-list-after-hotplug.json")));
            Assert.Equal(after, stdout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
