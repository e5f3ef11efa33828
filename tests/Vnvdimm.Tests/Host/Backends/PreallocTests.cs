using Vnvdimm.Host.Backends;

namespace Vnvdimm.Tests.Host.Backends;

/// <summary>Measures the process RSS, so it runs alone.</summary>
[Collection(nameof(RssCollection))]
public sealed class PreallocTests : IDisposable
{
    private const ulong MiB = 1UL << 20;
    private readonly BackendTestSupport _support = new();

    public void Dispose() => _support.Dispose();

    private static long VmRssBytes()
    {
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
    }

    [Theory]
    [InlineData("memory-backend-ram,id=p,size=64M,prealloc=on")]
    [InlineData("memory-backend-memfd,id=p,size=64M,prealloc=on")]
    [InlineData("memory-backend-ram,id=p,size=256M,prealloc=on,prealloc-threads=4")]
    public void Prealloc_touches_every_page(string objectText)
    {
        using MemoryBackend backend = _support.Create(objectText);
        long before = VmRssBytes();
        backend.Allocate(1);
        long grown = VmRssBytes() - before;

        ulong pages = backend.Size / 4096;
        Assert.Equal(pages, backend.Region!.CountResidentPages());
        Assert.True(grown >= (long)(backend.Size - 4 * MiB), $"RSS grew by {grown} bytes");
    }

    [Fact]
    public void Prealloc_of_a_file_populates_it()
    {
        string path = _support.PathOf("prealloc.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=p,size=32M,mem-path={path},share=on,prealloc=on");
        backend.Allocate(2);
        Assert.Equal(32 * MiB / 4096, backend.Region!.CountResidentPages());
        Assert.True(BackendTestSupport.AllocatedBytes(path) >= 32 * (long)MiB);
    }

    [Fact]
    public void Default_allocation_touches_nothing()
    {
        string path = _support.PathOf("sparse.img");
        using MemoryBackend file = _support.Create($"memory-backend-file,id=f,size=1G,mem-path={path}");
        using MemoryBackend ram = _support.Create("memory-backend-ram,id=r,size=1G");
        long before = VmRssBytes();
        file.Allocate(8);
        ram.Allocate(8);
        long grown = VmRssBytes() - before;

        Assert.Equal(0UL, file.Region!.CountResidentPages());
        Assert.Equal(0UL, ram.Region!.CountResidentPages());
        Assert.True(grown < 16 * (long)MiB, $"RSS grew by {grown} bytes");
        Assert.True(BackendTestSupport.AllocatedBytes(path) < (long)MiB);
    }

    [Theory]
    [InlineData(4096UL, 256UL, 4, 1)]          // 1 MiB: too little to split
    [InlineData(4096UL, 65536UL, 4, 4)]        // 256 MiB: one thread per 64 MiB
    [InlineData(4096UL, 32768UL, 4, 2)]        // 128 MiB
    [InlineData(1UL << 30, 2UL, 64, 2)]        // gigantic pages: never more threads than pages
    [InlineData(4096UL, 1UL << 30, 0, 1)]      // unknown default: one thread
    public void Thread_count_follows_qemu(ulong pageSize, ulong pages, int maxThreads, int expected)
    {
        Assert.Equal(Math.Min(expected, Environment.ProcessorCount), Preallocator.ThreadCount(pageSize, pages, maxThreads));
    }
}
