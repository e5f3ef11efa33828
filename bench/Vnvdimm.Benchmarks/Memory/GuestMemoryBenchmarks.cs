using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Memory;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Benchmarks.Memory;

/// <summary>
/// Guest-physical access through <see cref="GuestAddressSpace"/> (a mapping lease per access)
/// against a plain span copy of the same mapping (one lease around the whole loop), on a 1 GiB
/// shared file backend mapped where the first DIMM would sit.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class GuestMemoryBenchmarks
{
    private const int Sequential = 1 << 20;
    private const int RandomSize = 4096;
    private const int RandomCount = 4096;
    private const ulong RegionSize = 1UL << 30;
    private const int SequentialCount = (int)(RegionSize / Sequential);
    private const ulong DimmBase = 0x1_0000_0000;

    private string _directory = null!;
    private MemoryBackend _ram = null!;
    private MemoryBackend _nvdimm = null!;
    private GuestAddressSpace _space = null!;
    private ulong[] _randomOffsets = null!;
    private byte[] _sequentialBuffer = null!;
    private byte[] _randomBuffer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("vnvdimm-bench-").FullName;
        string path = Path.Combine(_directory, "nvdimm.img");
        // The backend creates the missing file sparse (ftruncate), as QEMU does.
        _nvdimm = MemoryBackend.Create(FileMemoryBackend.Type, QemuOpts.Parse($"id=nv0,mem-path={path},size=1G,share=on", null));
        _nvdimm.Allocate(1);
        // Some RAM below the DIMM so lookups search more than one region.
        _ram = RamBackend.CreateMainRam(2UL << 20);
        _ram.Allocate(1);
        _space = new GuestAddressSpace();
        _space.Add(new GuestMemoryRegion(default, _ram.Size, _ram, 0, "ram-below-4g"));
        _space.Add(new GuestMemoryRegion(new GuestAddress(DimmBase), RegionSize, _nvdimm, 0, "nv0"));

        var random = new Random(20221214);
        _randomOffsets = new ulong[RandomCount];
        for (int i = 0; i < RandomCount; i++)
        {
            _randomOffsets[i] = (ulong)random.NextInt64((long)(RegionSize / RandomSize)) * RandomSize;
        }
        _sequentialBuffer = new byte[Sequential];
        random.NextBytes(_sequentialBuffer);
        _randomBuffer = new byte[RandomSize];
        random.NextBytes(_randomBuffer);
        // Populate every page once, so no benchmark pays the first-touch faults for the others.
        SpanCopySequentialWrite();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nvdimm.Dispose();
        _ram.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SequentialCount)]
    [BenchmarkCategory("Sequential1MiBWrite")]
    public void SpanCopySequentialWrite() =>
        // One lease around the whole loop: inside it, plain span copies into the mapping.
        _nvdimm.Access(0, (int)RegionSize, _sequentialBuffer, static (region, buffer) =>
        {
            for (int i = 0; i < SequentialCount; i++)
            {
                buffer.CopyTo(region.Slice(i * Sequential, Sequential));
            }
        });

    [Benchmark(OperationsPerInvoke = SequentialCount)]
    [BenchmarkCategory("Sequential1MiBWrite")]
    public bool GuestSequentialWrite()
    {
        bool ok = true;
        for (int i = 0; i < SequentialCount; i++)
        {
            ok &= _space.TryWrite(new GuestAddress(DimmBase + (ulong)i * Sequential), _sequentialBuffer);
        }
        return ok;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SequentialCount)]
    [BenchmarkCategory("Sequential1MiBRead")]
    public void SpanCopySequentialRead() =>
        _nvdimm.Access(0, (int)RegionSize, _sequentialBuffer, static (region, buffer) =>
        {
            for (int i = 0; i < SequentialCount; i++)
            {
                region.Slice(i * Sequential, Sequential).CopyTo(buffer);
            }
        });

    [Benchmark(OperationsPerInvoke = SequentialCount)]
    [BenchmarkCategory("Sequential1MiBRead")]
    public bool GuestSequentialRead()
    {
        bool ok = true;
        for (int i = 0; i < SequentialCount; i++)
        {
            ok &= _space.TryRead(new GuestAddress(DimmBase + (ulong)i * Sequential), _sequentialBuffer);
        }
        return ok;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RandomCount)]
    [BenchmarkCategory("Random4KiBWrite")]
    public void SpanCopyRandomWrite() =>
        _nvdimm.Access(0, (int)RegionSize, this, static (region, self) =>
        {
            foreach (ulong offset in self._randomOffsets)
            {
                self._randomBuffer.CopyTo(region.Slice((int)offset, RandomSize));
            }
        });

    [Benchmark(OperationsPerInvoke = RandomCount)]
    [BenchmarkCategory("Random4KiBWrite")]
    public bool GuestRandomWrite()
    {
        bool ok = true;
        foreach (ulong offset in _randomOffsets)
        {
            ok &= _space.TryWrite(new GuestAddress(DimmBase + offset), _randomBuffer);
        }
        return ok;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RandomCount)]
    [BenchmarkCategory("Random4KiBRead")]
    public void SpanCopyRandomRead() =>
        _nvdimm.Access(0, (int)RegionSize, this, static (region, self) =>
        {
            foreach (ulong offset in self._randomOffsets)
            {
                region.Slice((int)offset, RandomSize).CopyTo(self._randomBuffer);
            }
        });

    [Benchmark(OperationsPerInvoke = RandomCount)]
    [BenchmarkCategory("Random4KiBRead")]
    public bool GuestRandomRead()
    {
        bool ok = true;
        foreach (ulong offset in _randomOffsets)
        {
            ok &= _space.TryRead(new GuestAddress(DimmBase + offset), _randomBuffer);
        }
        return ok;
    }
}
