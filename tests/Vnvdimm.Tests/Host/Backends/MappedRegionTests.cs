using Vnvdimm.Host.Backends;

namespace Vnvdimm.Tests.Host.Backends;

public sealed class MappedRegionTests : IDisposable
{
    private readonly BackendTestSupport _support = new();

    public void Dispose() => _support.Dispose();

    private MappedRegion MapRam(ulong size)
    {
        MemoryBackend backend = _support.Create($"memory-backend-ram,id=r,size={size}");
        backend.Allocate(1);
        return backend.Region!;
    }

    [Theory]
    [InlineData(0UL, -1)]
    [InlineData(8193UL, 0)]
    [InlineData(8192UL, 1)]
    [InlineData(8191UL, 2)]
    [InlineData(ulong.MaxValue, 1)]
    [InlineData(ulong.MaxValue - 10, 100)]
    [InlineData(1UL, int.MaxValue)]
    public void Out_of_range_spans_are_refused(ulong offset, int length)
    {
        MappedRegion region = MapRam(8192);
        Assert.Throws<ArgumentOutOfRangeException>(() => region.GetSpan(offset, length));
        Assert.Throws<ArgumentOutOfRangeException>(() => region.GetReadOnlySpan(offset, length));
    }

    [Theory]
    [InlineData(0UL, 8192)]
    [InlineData(8192UL, 0)]
    [InlineData(8191UL, 1)]
    public void Spans_up_to_the_end_are_allowed(ulong offset, int length)
    {
        MappedRegion region = MapRam(8192);
        Assert.Equal(length, region.GetSpan(offset, length).Length);
    }

    [Fact]
    public void Disposed_region_refuses_spans()
    {
        MappedRegion region = MapRam(4096);
        region.Dispose();
        region.Dispose();
        Assert.True(region.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => region.GetSpan(0, 1));
    }
}
