using System.Diagnostics;
using System.Net.Sockets;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// Powering the guest off at its console ends the program with 0 and, as QEMU does when its guest
/// shuts down, sends every QMP client the SHUTDOWN event with guest=true.
/// </summary>
public sealed class ConsolePowerOffTests
{
    [Theory]
    [InlineData("poweroff")]
    [InlineData("exit")]
    [InlineData(null)]
    public void Poweroff_exit_or_end_of_input_sends_shutdown_to_the_qmp_client(string? command)
    {
        using var scratch = new ScratchDirectory("vnvdimm-poweroff-");
        string socketPath = scratch.File("qmp.sock");
        using Process process = ProgramProcess.Start(scratch.Path,
        [
            "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
            "-object", $"memory-backend-file,id=mem1,share=on,mem-path={scratch.File("nv.img")},size=256M",
            "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
            "-qmp", $"unix:{socketPath},server=on,wait=off",
        ]);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            ProgramProcess.ConnectWithin(socket, new UnixDomainSocketEndPoint(socketPath), TimeSpan.FromSeconds(30));
            socket.ReceiveTimeout = 30_000;
            using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream);
            using var writer = new StreamWriter(stream) { NewLine = "\n", AutoFlush = true };
            Assert.StartsWith("{\"QMP\":", reader.ReadLine());
            writer.WriteLine("{\"execute\": \"qmp_capabilities\"}");
            Assert.Equal("{\"return\": {}}", reader.ReadLine());

            if (command is not null)
            {
                process.StandardInput.WriteLine(command);
                process.StandardInput.Flush();
            }
            else
            {
                process.StandardInput.Close();
            }

            Assert.Matches(
                "^\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}, \"event\": \"SHUTDOWN\", \"data\": \\{\"guest\": true, \"reason\": \"guest-shutdown\"\\}\\}$",
                reader.ReadLine());
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("", process.StandardOutput.ReadToEnd());
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
