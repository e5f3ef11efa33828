using BenchmarkDotNet.Attributes;
using Vnvdimm.Host.Acpi;

namespace Vnvdimm.Benchmarks.Acpi;

/// <summary>
/// NFIT + SSDT build time for N slots each holding an NVDIMM (goal: under 5 ms at 256, growing
/// linearly with N). <see cref="TablesAndLoaderScript"/> adds the blob and loader script.
/// </summary>
[MemoryDiagnoser]
public class NvdimmAcpiTablesBenchmarks
{
    private const ulong DeviceMemoryBase = 0x1_0000_0000;
    private const ulong DimmSize = 1UL << 30;

    private AcpiMachineDescription _machine = null!;

    [Params(1, 16, 64, 256)]
    public int Nvdimms { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        NvdimmAcpiDevice[] devices =
        [
            .. Enumerable.Range(0, Nvdimms).Select(slot =>
                new NvdimmAcpiDevice(slot, DeviceMemoryBase + (ulong)slot * DimmSize, DimmSize - (128 << 10), (uint)(slot % 4), false, 128 << 10)),
        ];
        _machine = new AcpiMachineDescription(Nvdimms, NvdimmPersistence.Cpu, devices);
    }

    [Benchmark(Baseline = true)]
    public int NfitAndSsdt() => NfitBuilder.BuildTable(_machine).Length + NvdimmSsdtBuilder.Build(_machine).Table.Length;

    [Benchmark]
    public int TablesAndLoaderScript() => NvdimmAcpiTablesBuilder.Build(_machine).Tables.Length;
}
