using BenchmarkDotNet.Attributes;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Check;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Machine;

namespace Vnvdimm.Benchmarks.Check;

/// <summary>
/// `vnvdimm check`'s analysis in process: parse, dry-run plan (placement, carving), inspect each
/// backing file (stat, mountinfo, MAP_SYNC probe) and read its 128 KiB label area, for 1 and 256
/// file-backed NVDIMMs on existing sparse files. The budget is 50 ms for 256 (Native AOT,
/// whole process).
/// </summary>
[MemoryDiagnoser(false)]
public class CheckBenchmarks
{
    private string _folder = null!;
    private string[] _arguments = null!;

    [Params(256)]
    public int Nvdimms { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("vnvdimm-check-bench-").FullName;
        var args = new List<string> { "-machine", "pc,nvdimm=on", "-cpu", "qemu64,phys-bits=48", "-m", $"512M,slots={Math.Max(Nvdimms, 1)},maxmem=1T" };
        for (int i = 0; i < Nvdimms; i++)
        {
            string path = Path.Combine(_folder, $"nv{i}.img");
            using (var file = File.Create(path))
            {
                file.SetLength(256L << 20);
            }
            args.AddRange(["-object", $"memory-backend-file,id=m{i},share=on,pmem=on,mem-path={path},size=256M",
                "-device", $"nvdimm,id=nv{i},memdev=m{i},label-size=128K"]);
        }
        _arguments = [.. args];
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "check (whole analysis)")]
    public int Check() => ConfigurationCheck.Run(_arguments, new HostBackingStoreInspector()).Devices.Count;

    [Benchmark(Description = "parse only (VmConfiguration)")]
    public int Parse() => VmConfiguration.Parse(_arguments, _ => { }).Objects.Count;

    [Benchmark(Description = "parse + dry-run plan")]
    public int Plan()
    {
        var sink = new StderrSink(_ => { }, _ => { });
        using VirtualMachine machine = VirtualMachine.Plan(VmConfiguration.Parse(_arguments, _ => { }, sink), sink, new HostBackingStoreInspector());
        return machine.MemoryDevices.Count;
    }
}
