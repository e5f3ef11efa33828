using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Memory;
using Vnvdimm.Platform.Memory;
using Vnvdimm.Tests.Host.Backends;

namespace Vnvdimm.Tests.Host.Memory;

/// <summary>Guest accesses against backends and address spaces that go away (issue 10, item 6).</summary>
public sealed class GuestAddressSpaceLifetimeTests : IDisposable
{
    private const ulong Page = 0x1000;
    private readonly List<MemoryBackend> _backends = [];

    public void Dispose()
    {
        foreach (MemoryBackend backend in _backends)
        {
            backend.Dispose();
        }
    }

    private MemoryBackend Ram(ulong size, byte fill)
    {
        MemoryBackend backend = RamBackend.CreateMainRam(size);
        _backends.Add(backend);
        backend.Allocate(1);
        backend.Fill(0, (int)size, fill);
        return backend;
    }

    private static GuestMemoryRegion Region(ulong start, ulong length, MemoryBackend backend, string name) =>
        new(new GuestAddress(start), length, backend, 0, name);

    [Fact]
    public void A_backend_disposed_during_an_access_is_unmapped_only_when_the_access_ends()
    {
        MemoryBackend backend = Ram(2 * Page, fill: 0x11);
        MappedRegion mapping = backend.Region!;
        using var space = new GuestAddressSpace();
        space.Add(Region(0x10_0000, 2 * Page, backend, "nv0"));

        bool unmappedInside = true;
        Assert.True(space.TryAccess(new GuestAddress(0x10_0000), (int)(2 * Page), backend, (span, owner) =>
        {
            owner.Dispose();
            // The lease keeps the pages: writing through the span must not fault.
            span.Fill(0x22);
            unmappedInside = mapping.IsUnmapped;
        }));

        Assert.False(unmappedInside);
        Assert.True(mapping.IsDisposed);
        Assert.True(mapping.IsUnmapped);
        Assert.Equal(0, mapping.LeaseCount);
        Assert.False(space.TryRead(new GuestAddress(0x10_0000), new byte[1]));
        Assert.False(space.TryWrite(new GuestAddress(0x10_1FFF), [1]));
        Assert.False(space.TryAccess(new GuestAddress(0x10_0000), 1, 0, static (_, _) => { }));
    }

    [Fact]
    public void A_lease_held_by_another_thread_defers_the_backend_munmap()
    {
        MemoryBackend backend = Ram(Page, fill: 0x33);
        MappedRegion mapping = backend.Region!;
        Assert.True(mapping.TryAcquire());

        backend.Dispose();

        Assert.False(backend.IsMapped);
        Assert.False(mapping.IsUnmapped);
        Assert.Equal(0x33, mapping.LeasedSpan(Page - 1, 1)[0]);
        Assert.False(backend.TryRead(0, new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => backend.Read(0, new byte[1]));
        mapping.Release();
        Assert.True(mapping.IsUnmapped);
    }

    [Fact]
    public void After_dispose_every_access_answers_false_and_Add_is_refused()
    {
        MemoryBackend ram = Ram(Page, fill: 0x44);
        var space = new GuestAddressSpace();
        space.Add(Region(0, Page, ram, "ram"));
        Assert.True(space.TryRead(new GuestAddress(0), new byte[Page]));

        space.Dispose();
        space.Dispose();

        Assert.True(space.IsDisposed);
        Assert.Empty(space.Regions);
        Assert.False(space.TryRead(new GuestAddress(0), new byte[1]));
        Assert.False(space.TryWrite(new GuestAddress(Page - 1), [1]));
        Assert.False(space.TryAccess(new GuestAddress(0), 1, 0, static (_, _) => { }));
        Assert.Throws<ObjectDisposedException>(() => space.Add(Region(Page, Page, Ram(Page, 0), "late")));
        // The address space does not own the backend: it stays mapped, untouched.
        Assert.True(ram.IsMapped);
        Assert.All(ram.ReadBytes(0, (int)Page), b => Assert.Equal(0x44, b));
    }

    [Fact]
    public void An_access_across_regions_takes_every_lease_or_none()
    {
        MemoryBackend low = Ram(Page, fill: 0x55);
        MemoryBackend high = Ram(Page, fill: 0x66);
        using var space = new GuestAddressSpace();
        space.Add(Region(0, Page, low, "low"));
        space.Add(Region(Page, Page, high, "high"));
        high.Dispose();

        Assert.False(space.TryWrite(new GuestAddress(Page - 0x10), new byte[0x20]));
        byte[] read = new byte[0x20];
        Array.Fill(read, (byte)0xEE);
        Assert.False(space.TryRead(new GuestAddress(Page - 0x10), read));

        // Nothing copied either way, and the lease taken on "low" was given back.
        Assert.All(read, b => Assert.Equal(0xEE, b));
        Assert.All(low.ReadBytes(0, (int)Page), b => Assert.Equal(0x55, b));
        Assert.Equal(0, low.Region!.LeaseCount);
        Assert.True(space.TryRead(new GuestAddress(0), new byte[Page]));
    }
}
