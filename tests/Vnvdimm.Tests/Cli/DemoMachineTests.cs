using System.Diagnostics;

namespace Vnvdimm.Tests.Cli;

/// <summary>The no-argument demo machine, run as a real process in a fresh folder.</summary>
public sealed class DemoMachineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vnvdimm-demo-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private int RunDemo(string expectedState = "created")
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vnvdimm.dll"));
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        // One line: what the demo created or reused, and how to leave.
        Assert.Equal($"vnvdimm: demo machine: 256 MiB NVDIMM nmem0 backed by ./vnvdimm-demo.img ({expectedState}); "
            + "type ndctl commands, 'help', or 'poweroff' (or end the input) to leave\n", stderr);
        return process.ExitCode;
    }

    [Fact]
    public void DemoCreatesItsBackendInTheCurrentFolderAndReusesIt()
    {
        Assert.Equal(0, RunDemo());
        string image = Path.Combine(_folder, "vnvdimm-demo.img");
        Assert.Equal(256L << 20, new FileInfo(image).Length);

        // Data in the file survives a second run: the file is reused, not recreated or truncated.
        using (var stream = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            stream.Write("kept"u8);
        }
        Assert.Equal(0, RunDemo("reused"));
        byte[] head = new byte[4];
        using (var stream = new FileStream(image, FileMode.Open, FileAccess.Read))
        {
            stream.ReadExactly(head);
        }
        Assert.Equal("kept"u8.ToArray(), head);
        Assert.Equal(256L << 20, new FileInfo(image).Length);
    }
}
