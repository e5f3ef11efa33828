using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Benchmarks.Backends;

/// <summary>
/// How fast can a new file's shared mapping be populated on this kernel? Each variant faults in
/// every page of a freshly created, empty-then-truncated file (deleted after each iteration: the
/// cost measured is first-touch allocation), beside vnvdimm's own prealloc of the same file
/// (memory-backend-file,prealloc=on,prealloc-threads=2,share=on). Targets: tmpfs (/dev/shm),
/// ext4 (the root file system: /tmp), and a tmpfs mounted with huge=always (transparent huge
/// pages; needs root, mounted and unmounted here). hugetlbfs has no pages reserved here.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public unsafe class PreallocBenchmarks
{
    private const string HugeMount = "/mnt/vnvdimm-bench-thp";
    private const int Threads = 2;

    private string _folder = null!;
    private string _path = null!;
    private SafeFdHandle? _fd;
    private nint _address;
    private nint _reservation;
    private ulong _size;
    private MemoryBackend? _backend;
    private int _iteration;

    /// <summary>"file system / size".</summary>
    [Params("tmpfs/256M", "tmpfs/1G", "ext4/256M", "ext4/1G", "tmpfs-huge/1G")]
    public string Target { get; set; } = "tmpfs/256M";

    [GlobalSetup]
    public void Setup()
    {
        string[] parts = Target.Split('/');
        _size = parts[1] == "1G" ? 1UL << 30 : 256UL << 20;
        string root = parts[0] switch
        {
            "tmpfs" => "/dev/shm",
            "ext4" => "/tmp",
            _ => MountHugeTmpfs(),
        };
        _folder = Path.Combine(root, $"vnvdimm-prealloc-{Environment.ProcessId}");
        Directory.CreateDirectory(_folder);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Directory.Delete(_folder, recursive: true);
        if (Target.StartsWith("tmpfs-huge", StringComparison.Ordinal))
        {
            Run("umount", HugeMount);
        }
    }

    // A new, empty file sized with ftruncate (as a backend does), not yet mapped.
    [IterationSetup]
    public void NewFile()
    {
        _path = Path.Combine(_folder, $"f{_iteration++}");
        _fd = Libc.open(_path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0b110_100_100);
        if (_fd.IsInvalid || Libc.ftruncate(_fd, (long)_size) != 0)
        {
            throw new IOException($"cannot create {_path}: {Libc.StrError(Libc.Errno)}");
        }
    }

    [IterationCleanup]
    public void DeleteFile()
    {
        if (_reservation != 0)
        {
            Libc.munmap(_reservation, (nuint)(_size + (4UL << 20)));
            _reservation = 0;
            _address = 0;
        }
        if (_address != 0)
        {
            Libc.munmap(_address, (nuint)_size);
            _address = 0;
        }
        _backend?.Dispose();
        _backend = null;
        _fd?.Dispose();
        Libc.unlink(_path);
    }

    [Benchmark(Baseline = true, Description = "MADV_POPULATE_WRITE, whole range, 1 thread")]
    public void PopulateWhole()
    {
        Map(0);
        Check(Libc.madvise(_address, (nuint)_size, Libc.MADV_POPULATE_WRITE));
    }

    [Benchmark(Description = "MADV_POPULATE_WRITE, 2 slices, 2 threads")]
    public void PopulateSlices()
    {
        Map(0);
        Parallel(Threads, (offset, length) => Check(Libc.madvise(_address + (nint)offset, (nuint)length, Libc.MADV_POPULATE_WRITE)));
    }

    [Benchmark(Description = "MADV_POPULATE_WRITE, 2 threads, address 4 KiB past 2 MiB (QEMU's placement)")]
    public void PopulateSlicesMisaligned()
    {
        // QEMU aligns the mapping to the page size only, so its address is congruent to the file
        // offset modulo 2 MiB only by chance; this places it 4 KiB off on purpose.
        _reservation = Libc.mmap_anonymous(0, (nuint)(_size + (4UL << 20)), Libc.PROT_NONE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        nint at = (nint)((((ulong)_reservation + (2UL << 20) - 1) & ~((2UL << 20) - 1)) + 4096);
        _address = Libc.mmap(at, (nuint)_size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_FIXED, _fd!, 0);
        Libc.madvise(_address, (nuint)_size, Libc.MADV_HUGEPAGE);
        Parallel(Threads, (offset, length) => Check(Libc.madvise(_address + (nint)offset, (nuint)length, Libc.MADV_POPULATE_WRITE)));
    }

    [Benchmark(Description = "fallocate, then MADV_POPULATE_WRITE, 1 thread")]
    public void FallocateThenPopulate()
    {
        Check(Libc.fallocate(_fd!, 0, 0, (long)_size));
        Map(0);
        Check(Libc.madvise(_address, (nuint)_size, Libc.MADV_POPULATE_WRITE));
    }

    [Benchmark(Description = "fallocate, then MADV_POPULATE_WRITE, 2 threads")]
    public void FallocateThenPopulateSlices()
    {
        Check(Libc.fallocate(_fd!, 0, 0, (long)_size));
        Map(0);
        Parallel(Threads, (offset, length) => Check(Libc.madvise(_address + (nint)offset, (nuint)length, Libc.MADV_POPULATE_WRITE)));
    }

    [Benchmark(Description = "touch one byte per page, 1 thread")]
    public void Touch1() => Touch(1);

    [Benchmark(Description = "touch one byte per page, 2 threads")]
    public void Touch2() => Touch(Threads);

    [Benchmark(Description = "mmap MAP_POPULATE (errors are lost)")]
    public void MapPopulate() => Map(Libc.MAP_POPULATE);

    [Benchmark(Description = "vnvdimm memory-backend-file prealloc, 2 threads (fallocate, populate)")]
    public void Vnvdimm()
    {
        // The iteration's file is taken over: the backend opens the existing empty file, sizes
        // nothing (ftruncate already did), maps and preallocates.
        QemuOpts opts = QemuOpts.Parse($"memory-backend-file,id=m,mem-path={_path},size={_size},share=on,prealloc=on,prealloc-threads={Threads}", "qom-type");
        _backend = MemoryBackend.Create(FileMemoryBackend.Type, opts, StderrSink.Collect(new List<string>()));
        _backend.Allocate(Threads);
    }

    private void Touch(int threads)
    {
        Map(0);
        ulong page = (ulong)Environment.SystemPageSize;
        Parallel(threads, (offset, length) =>
        {
            byte* p = (byte*)_address + offset;
            for (ulong i = 0; i < length; i += page)
            {
                p[i] = 0;
            }
        });
    }

    private void Map(int extraFlags)
    {
        _address = Libc.mmap(0, (nuint)_size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | extraFlags, _fd!, 0);
        if (_address == Libc.MAP_FAILED)
        {
            _address = 0;
            throw new IOException($"mmap: {Libc.StrError(Libc.Errno)}");
        }
        Libc.madvise(_address, (nuint)_size, Libc.MADV_HUGEPAGE);
    }

    private void Parallel(int threads, Action<ulong, ulong> slice)
    {
        ulong length = _size / (ulong)threads;
        var workers = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            ulong offset = (ulong)i * length;
            workers[i] = new Thread(() => slice(offset, length));
            workers[i].Start();
        }
        foreach (Thread worker in workers)
        {
            worker.Join();
        }
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new IOException(Libc.StrError(Libc.Errno));
        }
    }

    private static string MountHugeTmpfs()
    {
        Directory.CreateDirectory(HugeMount);
        Run("mount", "-t", "tmpfs", "-o", "size=2G,huge=always", "tmpfs", HugeMount);
        return HugeMount;
    }

    private static void Run(string program, params string[] arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(program, arguments)) ?? throw new InvalidOperationException(program);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}");
        }
    }
}
