using System.Net;
using System.Net.Sockets;
using Vnvdimm.Cli;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// Monitor sockets that cannot be bound refuse the machine with QEMU 7.2's line, exit 1, and the
/// backend file the command line names is never created (QEMU binds its chardevs before it
/// creates memory backends). Each text was printed by qemu-system-x86_64 7.2 for the same options.
/// </summary>
public sealed class MonitorSocketErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vnvdimm-monsock-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Backend => Path.Combine(_folder, "new-backend.img");

    private (int Exit, string Stderr) Run(string option, string spec)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = VnvdimmProgram.Run(
            ["-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
             "-object", $"memory-backend-file,id=mem1,share=on,mem-path={Backend},size=256M",
             "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K", option, spec],
            new StringReader(string.Empty), stdout, stderr);
        Assert.Equal(string.Empty, stdout.ToString());
        return (exit, stderr.ToString().Replace("\r", string.Empty));
    }

    [Theory]
    [InlineData("-qmp")]
    [InlineData("-monitor")]
    public void Missing_folder(string option)
    {
        var (exit, stderr) = Run(option, "unix:/nonexistent/q.sock,server=on,wait=off");
        Assert.Equal($"vnvdimm: {option} unix:/nonexistent/q.sock,server=on,wait=off: Failed to bind socket to /nonexistent/q.sock: No such file or directory\n", stderr);
        Assert.Equal(1, exit);
        Assert.False(File.Exists(Backend));
    }

    [Theory]
    [InlineData("-qmp")]
    [InlineData("-monitor")]
    public void Folder_that_is_a_file(string option)
    {
        string file = Path.Combine(_folder, "plain");
        File.WriteAllText(file, "x");
        var (exit, stderr) = Run(option, $"unix:{file}/q.sock,server=on,wait=off");
        Assert.Equal($"vnvdimm: {option} unix:{file}/q.sock,server=on,wait=off: Failed to unlink socket {file}/q.sock: Not a directory\n", stderr);
        Assert.Equal(1, exit);
        Assert.False(File.Exists(Backend));
    }

    [Theory]
    [InlineData("-qmp", 109)]
    [InlineData("-monitor", 109)]
    [InlineData("-qmp", 200)]
    public void Path_longer_than_sun_path(string option, int length)
    {
        string path = "/tmp/" + new string('a', length - 5);
        Assert.Equal(length, path.Length);
        var (exit, stderr) = Run(option, $"unix:{path},server=on,wait=off");
        Assert.Equal($"vnvdimm: {option} unix:{path},server=on,wait=off: UNIX socket path '{path}' is too long\nPath must be less than 108 bytes\n", stderr);
        Assert.Equal(1, exit);
        Assert.False(File.Exists(Backend));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("-qmp")]
    [InlineData("-monitor")]
    public void Tcp_port_in_use(string option)
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        var (exit, stderr) = Run(option, $"tcp:127.0.0.1:{port},server=on,wait=off");
        Assert.Equal($"vnvdimm: {option} tcp:127.0.0.1:{port},server=on,wait=off: Failed to find an available port: Address already in use\n", stderr);
        Assert.Equal(1, exit);
        Assert.False(File.Exists(Backend));
    }

    [Fact]
    public void A_refused_device_removes_the_monitor_socket_it_bound()
    {
        string socket = Path.Combine(_folder, "q.sock");
        var stderr = new StringWriter();
        int exit = VnvdimmProgram.Run(
            ["-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
             "-object", "memory-backend-ram,id=mem1,size=256M",
             "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=1K", "-qmp", $"unix:{socket},server=on,wait=off"],
            new StringReader(string.Empty), new StringWriter(), stderr);
        Assert.Equal(1, exit);
        Assert.Equal("vnvdimm: -device nvdimm,id=nvdimm1,memdev=mem1,label-size=1K: Property 'nvdimm.label-size' (0x400) is required at least 0x20000\n", stderr.ToString().Replace("\r", string.Empty));
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public void An_empty_unix_path_listens_on_a_fresh_name_as_qemu_does()
    {
        // QEMU 7.2 accepts "unix:," and listens on a generated name in the temporary folder.
        var endpoint = Vnvdimm.Host.Monitor.MonitorEndpoint.Parse("unix:,server=on,wait=off");
        Assert.NotNull(endpoint.UnixPath);
        Assert.StartsWith(Path.Combine(Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } t ? t : "/tmp", "vnvdimm-socket-"), endpoint.UnixPath);
        using (new Vnvdimm.Host.Monitor.MonitorListener(endpoint))
        {
            Assert.True(File.Exists(endpoint.UnixPath));
        }
        Assert.False(File.Exists(endpoint.UnixPath));
    }

    /// <summary>
    /// The legacy chardev syntax of -qmp and -monitor is checked while the command line is read, so
    /// its errors come before the machine's (here an unknown machine type after it). Texts printed
    /// by qemu-system-x86_64 7.2 for the same options.
    /// </summary>
    [Theory]
    [InlineData("-qmp", "bad:x", "'bad:x' is not a valid char driver")]
    [InlineData("-monitor", "bad:x", "'bad:x' is not a valid char driver")]
    [InlineData("-qmp", "unix", "'unix' is not a valid char driver")]
    [InlineData("-qmp", "none", "'none' is not a valid char driver")]
    [InlineData("-qmp", "tcp:localhost", null)]
    [InlineData("-qmp", "unix:/tmp/a.sock,server=on,wait=off,foo=bar", "Invalid parameter 'foo'")]
    [InlineData("-qmp", "unix:/tmp/a.sock,server=maybe", "Parameter 'server' expects 'on' or 'off'")]
    [InlineData("-qmp", "tcp::4444,server=on,wait=off,reconnect=x", "Parameter 'reconnect' expects a number")]
    public void A_bad_chardev_is_a_parse_error_before_the_machine_is_chosen(string option, string spec, string? error)
    {
        var stderr = new StringWriter();
        int exit = VnvdimmProgram.Run(["-machine", "no-such-machine", option, spec, "-m", "512M"], new StringReader(string.Empty), new StringWriter(), stderr);

        string expected = (error is null ? "" : $"vnvdimm: {option} {spec}: {error}\n") + $"vnvdimm: {option} {spec}: parse error: {spec}\n";
        Assert.Equal((1, expected), (exit, stderr.ToString().Replace("\r", string.Empty)));
    }

    [Fact]
    public void Bad_chardevs_read_as_qemu_reads_them()
    {
        string qemu = Vnvdimm.Tests.TestSupport.ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
        string[][] lines =
        [
            ["-qmp", "bad:x", "-machine", "no-such-machine"],
            ["-machine", "no-such-machine", "-monitor", "unix"],
            ["-qmp", "tcp:localhost"],
            ["-qmp", "tcp:a:"],
            ["-qmp", "unix:/tmp/a.sock,server=on,wait=off,foo=bar"],
            ["-qmp", "unix:/tmp/a.sock,path=/tmp/b.sock,nodelay=2"],
            ["-qmp", "mon:bad"],
            ["-m", "foo", "-qmp", "bad:x"],
        ];
        foreach (string[] line in lines)
        {
            var start = new System.Diagnostics.ProcessStartInfo(qemu, [.. line, "-S", "-display", "none", "-nodefaults"])
            {
                RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true,
            };
            using var process = System.Diagnostics.Process.Start(start)!;
            process.StandardInput.Close();
            string qemuError = process.StandardError.ReadToEnd();
            process.WaitForExit();

            var stderr = new StringWriter();
            int exit = VnvdimmProgram.Run(line, new StringReader(string.Empty), new StringWriter(), stderr);

            Assert.Equal((process.ExitCode, qemuError.Replace("qemu-system-x86_64: ", "vnvdimm: ")), (exit, stderr.ToString().Replace("\r", string.Empty)));
        }
    }
}
