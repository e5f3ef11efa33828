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
        Assert.Throws<ArgumentOutOfRangeException>(() => region.TryAccess(offset, length, 0, NoAccess));
        if (length is >= 0 and < 1 << 20)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => region.TryRead(offset, new byte[length]));
            Assert.Throws<ArgumentOutOfRangeException>(() => region.TryWrite(offset, new byte[length]));
        }
    }

    [Theory]
    [InlineData(0UL, 8192)]
    [InlineData(8192UL, 0)]
    [InlineData(8191UL, 1)]
    public void Spans_up_to_the_end_are_allowed(ulong offset, int length)
    {
        MappedRegion region = MapRam(8192);
        int seen = -1;
        Assert.True(region.TryAccess(offset, length, 0, (span, _) => seen = span.Length));
        Assert.Equal(length, seen);
    }

    [Fact]
    public void Disposed_region_refuses_access()
    {
        MappedRegion region = MapRam(4096);
        region.Dispose();
        region.Dispose();
        Assert.True(region.IsDisposed);
        Assert.True(region.IsUnmapped);
        Assert.False(region.TryAccess(0, 1, 0, NoAccess));
        Assert.False(region.TryRead(0, new byte[1]));
        Assert.False(region.TryWrite(0, [1]));
        Assert.False(region.TryAcquire());
    }

    [Fact]
    public void A_held_lease_defers_the_munmap_until_its_release()
    {
        MappedRegion region = MapRam(4096);
        Assert.True(region.TryWrite(0, [0x5A]));
        Assert.True(region.TryAcquire());
        Assert.True(region.TryAcquire());

        region.Dispose();

        // New accesses are refused at once, but the bytes stay mapped for the lease holders.
        Assert.True(region.IsDisposed);
        Assert.False(region.IsUnmapped);
        Assert.False(region.TryRead(0, new byte[1]));
        Assert.Equal(2, region.LeaseCount);
        Assert.Equal(0x5A, region.LeasedSpan(0, 1)[0]);
        region.Release();
        Assert.False(region.IsUnmapped);
        Assert.Equal(0x5A, region.LeasedSpan(0, 1)[0]);
        region.Release();
        Assert.True(region.IsUnmapped);
        Assert.Equal(0, region.LeaseCount);
    }

    [Fact]
    public void Discard_hook_runs_once_when_the_last_lease_goes()
    {
        MappedRegion region = MapRam(4096);
        Assert.True(region.TryAcquire());
        int calls = 0;
        region.Dispose(r => calls += r.IsUnmapped ? 100 : 1);
        Assert.Equal(0, calls);
        region.Release();
        Assert.Equal(1, calls);
        region.Dispose(_ => calls += 10);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_callback_access_keeps_the_mapping_while_another_thread_disposes()
    {
        MappedRegion region = MapRam(4096);
        using var inside = new ManualResetEventSlim();
        using var disposed = new ManualResetEventSlim();
        byte seen = 0;
        var reader = Task.Run(() => region.TryAccess(0, 4096, 0, (span, _) =>
        {
            inside.Set();
            Assert.True(disposed.Wait(TimeSpan.FromSeconds(10)));
            // Still mapped: the dispose happened while this callback held its lease.
            span[4095] = 0x77;
            seen = span[4095];
        }));
        Assert.True(inside.Wait(TimeSpan.FromSeconds(10)));
        region.Dispose();
        Assert.False(region.IsUnmapped);
        disposed.Set();
        Assert.True(await reader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0x77, seen);
        Assert.True(region.IsUnmapped);
    }

    private static void NoAccess(Span<byte> span, int state)
    {
    }
}
