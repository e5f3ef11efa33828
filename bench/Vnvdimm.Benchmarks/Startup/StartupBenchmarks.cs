using System.Diagnostics;
using BenchmarkDotNet.Attributes;

namespace Vnvdimm.Benchmarks.Startup;

/// <summary>
/// Whole-process start-up: from process start until the monitor prints its banner (it is
/// ready for commands), then quit; vnvdimm beside qemu-system-x86_64 on the same configuration. vnvdimm is the
/// published binary named by VNVDIMM_BIN (default: the Native AOT publish in artifacts/vnvdimm).
/// No backend page may be touched: 8 × 1 TiB sparse files must start as fast as one small one.
/// </summary>
[MemoryDiagnoser(false)]
public class StartupBenchmarks
{
    private string _folder = null!;
    private string[] _arguments = null!;

    [Params("1x256MiB", "8x1TiB")]
    public string Configuration { get; set; } = "1x256MiB";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("vnvdimm-startup-").FullName;
        var args = new List<string> { "-machine", "pc,nvdimm=on" };
        if (Configuration == "1x256MiB")
        {
            args.AddRange(["-m", "512M,slots=4,maxmem=4G",
                "-object", $"memory-backend-file,id=mem1,share=on,mem-path={_folder}/nv1.img,size=256M",
                "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K"]);
        }
        else
        {
            args.AddRange(["-cpu", "qemu64,phys-bits=48", "-m", "512M,slots=256,maxmem=9T"]);
            for (int i = 1; i <= 8; i++)
            {
                args.AddRange(["-object", $"memory-backend-file,id=m{i},share=on,mem-path={_folder}/nv{i}.img,size=1T",
                    "-device", $"nvdimm,id=nv{i},memdev=m{i},label-size=128K"]);
            }
        }
        args.AddRange(["-monitor", "stdio"]);
        _arguments = [.. args];
        // Create the sparse backend files once, so every run opens existing files as QEMU's would.
        RunToMonitor(VnvdimmBinary(), _arguments);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "qemu-system-x86_64 -S")]
    public void Qemu() => RunToMonitor("qemu-system-x86_64", ["-S", "-display", "none", "-nodefaults", .. _arguments]);

    [Benchmark(Description = "vnvdimm")]
    public void Vnvdimm() => RunToMonitor(VnvdimmBinary(), _arguments);

    private static string VnvdimmBinary()
    {
        string? configured = Environment.GetEnvironmentVariable("VNVDIMM_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "artifacts", "vnvdimm", "vnvdimm");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("set VNVDIMM_BIN to a published vnvdimm (dotnet publish src/Vnvdimm.Cli -c Release -r linux-x64 -p:PublishAot=true -o artifacts/vnvdimm)");
    }

    // Starts the program, waits for the monitor banner ("QEMU 7.2.x monitor ..."), then quits.
    private static void RunToMonitor(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.Contains(" monitor - type ", StringComparison.Ordinal))
        {
        }
        if (line is null)
        {
            throw new InvalidOperationException($"{program} exited before its monitor answered");
        }
        process.StandardInput.WriteLine("quit");
        process.StandardInput.Close();
        process.WaitForExit();
    }
}
