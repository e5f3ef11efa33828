using CsCheck;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Memory;
using Vnvdimm.Platform.Memory;
using Vnvdimm.Tests.Host.Backends;

namespace Vnvdimm.Tests.Host.Memory;

public sealed class GuestAddressSpaceTests : IDisposable
{
    private const ulong Page = 0x1000;
    private const ulong Top = ulong.MaxValue;
    private readonly List<MemoryBackend> _backends = [];
    private readonly BackendTestSupport _support = new();

    public void Dispose()
    {
        foreach (MemoryBackend backend in _backends)
        {
            backend.Dispose();
        }
        _support.Dispose();
    }

    private MemoryBackend Ram(ulong size, byte fill = 0)
    {
        MemoryBackend backend = RamBackend.CreateMainRam(size);
        backend.Allocate(1);
        backend.Fill(0, (int)size, fill);
        _backends.Add(backend);
        return backend;
    }

    private static GuestMemoryRegion Region(ulong start, ulong length, MemoryBackend backend, ulong backendOffset = 0, string name = "r") =>
        new(new GuestAddress(start), length, backend, backendOffset, name);

    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + i * 7)).ToArray();

    [Fact]
    public void Read_and_write_inside_one_region_use_the_backend_offset()
    {
        MemoryBackend backend = Ram(0x10000);
        var space = new GuestAddressSpace();
        space.Add(Region(0x10_0000, 0x8000, backend, backendOffset: 0x1000));
        byte[] data = Pattern(100, seed: 3);

        Assert.True(space.TryWrite(new GuestAddress(0x10_0010), data));

        Assert.Equal(data, backend.ReadBytes(0x1010, 100));
        byte[] back = new byte[100];
        Assert.True(space.TryRead(new GuestAddress(0x10_0010), back));
        Assert.Equal(data, back);
    }

    [Fact]
    public void Access_spans_adjacent_regions_of_different_backends()
    {
        MemoryBackend a = Ram(Page);
        MemoryBackend b = Ram(2 * Page);
        MemoryBackend c = Ram(Page);
        var space = new GuestAddressSpace();
        space.Add(Region(0x2000, Page, b, backendOffset: 0x800, name: "b"));
        space.Add(Region(0x1000, Page, a, name: "a"));
        space.Add(Region(0x3000, Page, c, name: "c"));
        byte[] data = Pattern(0x200, seed: 9);

        Assert.True(space.TryWrite(new GuestAddress(0x1F00), data));

        Assert.Equal(data[..0x100], a.ReadBytes(0xF00, 0x100));
        Assert.Equal(data[0x100..], b.ReadBytes(0x800, 0x100));
        byte[] back = new byte[0x200];
        Assert.True(space.TryRead(new GuestAddress(0x1F00), back));
        Assert.Equal(data, back);

        // Through all three regions: the middle one whole.
        byte[] wide = new byte[0x1020];
        Assert.True(space.TryRead(new GuestAddress(0x1FF0), wide));
        Assert.Equal(data[0xF0..0x100], wide[..0x10]);
        Assert.Equal(b.ReadBytes(0x800, 0x1000), wide[0x10..0x1010]);
        Assert.Equal(["a", "b", "c"], space.Regions.Select(r => r.Name));
    }

    [Fact]
    public void Last_byte_is_mapped_and_the_bytes_either_side_are_not()
    {
        var space = new GuestAddressSpace();
        space.Add(Region(0x1000, Page, Ram(Page, fill: 0x5A)));
        byte[] one = new byte[1];
        byte[] two = new byte[2];

        Assert.True(space.TryRead(new GuestAddress(0x1FFF), one));
        Assert.Equal(0x5A, one[0]);
        Assert.True(space.TryWrite(new GuestAddress(0x1FFF), [0x11]));
        Assert.False(space.TryRead(new GuestAddress(0x1FFF), two));
        Assert.False(space.TryRead(new GuestAddress(0x2000), one));
        Assert.False(space.TryRead(new GuestAddress(0xFFF), one));
        Assert.False(space.TryRead(new GuestAddress(0xFFF), two));
        Assert.False(space.TryWrite(new GuestAddress(0x2000), [0x11]));
    }

    [Fact]
    public void Access_across_a_hole_fails_and_copies_nothing()
    {
        MemoryBackend low = Ram(Page, fill: 0x11);
        MemoryBackend high = Ram(Page, fill: 0x22);
        var space = new GuestAddressSpace();
        space.Add(Region(0x1000, Page, low, name: "low"));
        space.Add(Region(0x3000, Page, high, name: "high"));

        Assert.False(space.TryWrite(new GuestAddress(0x1800), Pattern(0x2000, seed: 1)));

        // The bytes before the hole are exactly as they were.
        Assert.All(low.ReadBytes(0, (int)Page), b => Assert.Equal(0x11, b));
        Assert.All(high.ReadBytes(0, (int)Page), b => Assert.Equal(0x22, b));
        byte[] read = new byte[0x2000];
        Array.Fill(read, (byte)0xEE);
        Assert.False(space.TryRead(new GuestAddress(0x1800), read));
        Assert.All(read, b => Assert.Equal(0xEE, b));
        Assert.Throws<GuestMemoryException>(() => space.WriteAll(new GuestAddress(0x1FFF), [1, 2]));
    }

    [Fact]
    public void Write_into_a_read_only_region_fails_and_copies_nothing()
    {
        string path = _support.PathOf("rom.img");
        File.WriteAllBytes(path, Pattern((int)Page, seed: 5));
        MemoryBackend rom = _support.Create($"memory-backend-file,id=rom,size=4K,mem-path={path},readonly=on,share=on");
        _backends.Add(rom);
        rom.Allocate(1);
        MemoryBackend ram = Ram(Page, fill: 0x33);
        var space = new GuestAddressSpace();
        space.Add(Region(0, Page, ram, name: "ram"));
        space.Add(Region(Page, Page, rom, name: "rom"));

        Assert.False(space.TryWrite(new GuestAddress(0xF00), new byte[0x200]));
        Assert.False(space.TryAccess(new GuestAddress(Page), 1, 0, NoAccess));

        Assert.All(ram.ReadBytes(0, (int)Page), b => Assert.Equal(0x33, b));
        byte[] read = new byte[0x200];
        Assert.True(space.TryRead(new GuestAddress(0xF00), read));
        Assert.Equal(Pattern((int)Page, seed: 5)[..0x100], read[0x100..]);
    }

    [Fact]
    public void Ranges_that_would_wrap_past_2_to_the_64_fail()
    {
        MemoryBackend bottom = Ram(Page, fill: 0x44);
        MemoryBackend top = Ram(Page, fill: 0x55);
        var space = new GuestAddressSpace();
        space.Add(Region(0, Page, bottom, name: "bottom"));
        space.Add(Region(Top - Page + 1, Page, top, name: "top"));

        Assert.Equal(new GuestAddress(Top), space.Regions[1].Last);
        byte[] one = new byte[1];
        Assert.True(space.TryRead(new GuestAddress(Top), one));
        Assert.Equal(0x55, one[0]);
        Assert.True(space.TryWrite(new GuestAddress(Top), [0x66]));
        Assert.Equal(0x66, top.ReadBytes(Page - 1, 1)[0]);

        // Address 2^64 would be "bottom" byte 0 if the sum wrapped.
        Assert.False(space.TryWrite(new GuestAddress(Top), [0x77, 0x77]));
        Assert.False(space.TryRead(new GuestAddress(Top - 0xF), new byte[0x20]));
        Assert.False(space.TryWrite(new GuestAddress(Top - 0xF), new byte[0x20]));
        Assert.False(space.TryAccess(new GuestAddress(Top), 2, 0, NoAccess));
        Assert.Equal(0x44, bottom.ReadBytes(0, 1)[0]);
        Assert.Equal(0x66, top.ReadBytes(Page - 1, 1)[0]);
        byte last = 0;
        Assert.True(space.TryAccess(new GuestAddress(Top), 1, 0, (span, _) => last = span[0]));
        Assert.Equal(0x66, last);

        var error = Assert.Throws<ArgumentException>(() => space.Add(Region(Top - 0x7FF, Page, Ram(Page), name: "wraps")));
        Assert.Contains("ends past 2^64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_length_access_succeeds_at_any_address()
    {
        var space = new GuestAddressSpace();

        Assert.True(space.TryRead(new GuestAddress(0x1234), []));
        Assert.True(space.TryWrite(new GuestAddress(Top), []));
        int calls = 0;
        Assert.True(space.TryAccess(new GuestAddress(Top), 0, 0, (span, _) => calls += span.IsEmpty ? 1 : 100));
        Assert.Equal(1, calls);
        Assert.Throws<ArgumentOutOfRangeException>(() => space.TryAccess(default, -1, 0, NoAccess));
    }

    [Fact]
    public void Overlapping_regions_are_refused_naming_both()
    {
        MemoryBackend backend = Ram(0x4000);
        var space = new GuestAddressSpace();
        GuestMemoryRegion ram = Region(0x1000, 0x2000, backend, name: "ram");
        space.Add(ram);

        GuestMemoryRegion nv0 = Region(0x2000, Page, backend, name: "nv0");
        var error = Assert.Throws<GuestMemoryOverlapException>(() => space.Add(nv0));
        Assert.Equal("guest memory region 'nv0' [0x2000, +0x1000) overlaps region 'ram' [0x1000, +0x2000)", error.Message);
        Assert.Same(nv0, error.Region);
        Assert.Same(ram, error.Existing);

        // From below, exactly on top, and enclosing.
        Assert.Same(ram, Assert.Throws<GuestMemoryOverlapException>(() => space.Add(Region(0x800, Page, backend))).Existing);
        Assert.Throws<GuestMemoryOverlapException>(() => space.Add(Region(0x1000, 0x2000, backend)));
        Assert.Throws<GuestMemoryOverlapException>(() => space.Add(Region(0, 0x4000, backend)));
        Assert.Equal([ram], space.Regions);

        // Touching is not overlapping.
        space.Add(Region(0x3000, Page, backend, name: "after"));
        space.Add(Region(0, Page, backend, name: "before"));
        Assert.Equal(["before", "ram", "after"], space.Regions.Select(r => r.Name));
    }

    [Fact]
    public void Regions_outside_their_backend_or_unallocated_are_refused()
    {
        MemoryBackend backend = Ram(0x2000);
        using MemoryBackend unallocated = RamBackend.CreateMainRam(Page);
        var space = new GuestAddressSpace();

        Assert.Throws<ArgumentException>(() => space.Add(Region(0, 0, backend)));
        Assert.Throws<ArgumentException>(() => space.Add(Region(0, 0x2001, backend)));
        Assert.Throws<ArgumentException>(() => space.Add(Region(0, 0x1000, backend, backendOffset: 0x1001)));
        Assert.Throws<ArgumentException>(() => space.Add(Region(0, 0x1000, backend, backendOffset: Top)));
        var error = Assert.Throws<ArgumentException>(() => space.Add(Region(0, Page, unallocated)));
        Assert.Contains("not allocated", error.Message, StringComparison.Ordinal);
        Assert.Empty(space.Regions);
    }

    [Fact]
    public void TryAccess_aliases_guest_memory_inside_one_region_only()
    {
        MemoryBackend a = Ram(Page);
        MemoryBackend b = Ram(Page);
        var space = new GuestAddressSpace();
        space.Add(Region(0x1000, Page, a));
        space.Add(Region(0x2000, Page, b));

        Assert.True(space.TryAccess(new GuestAddress(0x1F00), 0x100, (byte)0x99, static (span, value) => span.Fill(value)));
        Assert.Equal(0x99u, space.ReadUInt32LittleEndian(new GuestAddress(0x1FFC)) & 0xFF);
        Assert.False(space.TryAccess(new GuestAddress(0x1F00), 0x101, 0, NoAccess));
        Assert.False(space.TryAccess(new GuestAddress(0x3000), 1, 0, NoAccess));
    }

    [Fact]
    public void File_backed_region_writes_land_in_the_file_at_the_backend_offset()
    {
        string path = _support.PathOf("nvdimm.img");
        MemoryBackend backend = _support.Create($"memory-backend-file,id=nv0,size=2M,mem-path={path},share=on");
        backend.Allocate(1);
        var space = new GuestAddressSpace();
        var nvBase = new GuestAddress(0x1_0000_0000);
        space.Add(new GuestMemoryRegion(nvBase, 1UL << 20, backend, BackendOffset: 0x10000, "nv0"));
        byte[] data = Pattern(0x1800, seed: 77);

        nvBase.TryAdd(0x3800, out GuestAddress at);
        Assert.True(space.TryWrite(at, data));
        backend.Dispose();

        byte[] file = File.ReadAllBytes(path);
        Assert.Equal(2 << 20, file.Length);
        Assert.Equal(data, file[0x13800..0x15000]);
        Assert.All(file[..0x13800], b => Assert.Equal(0, b));
        Assert.All(file[0x15000..], b => Assert.Equal(0, b));
    }

    private sealed record Access(bool Write, int Offset, int Length, byte Seed);

    private sealed record Scenario(ulong Base, int[] Cuts, bool[] Mapped, int OrderSeed, Access[] Accesses)
    {
        public override string ToString() =>
            $"Base=0x{Base:x} Cuts=[{string.Join(',', Cuts)}] Mapped=[{string.Join(',', Mapped)}] OrderSeed={OrderSeed} Accesses=[{string.Join(", ", Accesses.AsEnumerable())}]";
    }

    private const int Window = 1024;
    private const ulong TopWindow = ulong.MaxValue - Window + 1;

    private static readonly Gen<Scenario> Scenarios = Gen.Select(
        Gen.OneOf(Gen.Const(0UL), Gen.Const(0x1_0000_0000UL), Gen.Const(TopWindow), Gen.ULong.Select(v => v % TopWindow)),
        Gen.Int[1, Window - 1].ArrayUnique[0, 8],
        Gen.Bool.Array[9],
        Gen.Int,
        Gen.Select(Gen.Bool, Gen.Int[-64, Window + 64], Gen.Int[0, 300], Gen.Byte, (w, o, l, s) => new Access(w, o, l, s)).Array[1, 40],
        (b, c, m, o, a) => new Scenario(b, c, m, o, a));

    [Fact]
    public void Matches_a_byte_array_model_for_random_regions_and_accesses()
    {
        Scenarios.Sample(RunAgainstModel, iter: 500);
    }

    /// <summary>
    /// A window of guest-physical space cut into segments, mapped or holes; mapped segment j uses
    /// backend j % 2 at the same offset as in the window, so every guest byte has its own host byte.
    /// </summary>
    private static void RunAgainstModel(Scenario s)
    {
        using MemoryBackend even = RamBackend.CreateMainRam(Window);
        using MemoryBackend odd = RamBackend.CreateMainRam(Window);
        even.Allocate(1);
        odd.Allocate(1);
        MemoryBackend[] backends = [even, odd];
        int[] bounds = [0, .. s.Cuts.Order(), Window];
        int[] owner = new int[Window];
        var regions = new List<GuestMemoryRegion>();
        for (int j = 0; j + 1 < bounds.Length; j++)
        {
            bool mapped = s.Mapped[j];
            owner.AsSpan(bounds[j], bounds[j + 1] - bounds[j]).Fill(mapped ? j : -1);
            if (mapped)
            {
                regions.Add(new GuestMemoryRegion(new GuestAddress(s.Base + (ulong)bounds[j]), (ulong)(bounds[j + 1] - bounds[j]), backends[j % 2], (ulong)bounds[j], $"s{j}"));
            }
        }
        GuestMemoryRegion[] order = regions.ToArray();
        new Random(s.OrderSeed).Shuffle(order);
        var space = new GuestAddressSpace();
        foreach (GuestMemoryRegion region in order)
        {
            space.Add(region);
        }
        Assert.Equal(regions, space.Regions);

        byte[] model = new byte[Window];
        foreach (Access access in s.Accesses)
        {
            var address = new GuestAddress(unchecked(s.Base + (ulong)(long)access.Offset));
            int[]? owners = ModelOwners(s.Base, owner, address.Value, access.Length);
            bool covered = owners is not null;
            if (access.Write)
            {
                byte[] data = Pattern(access.Length, access.Seed);
                Assert.Equal(covered, space.TryWrite(address, data));
                if (covered && access.Length > 0)
                {
                    data.CopyTo(model, (int)(address.Value - s.Base));
                }
            }
            else
            {
                byte[] read = new byte[access.Length];
                Array.Fill(read, (byte)0xA5);
                Assert.Equal(covered, space.TryRead(address, read));
                byte[] expected = covered && access.Length > 0 ? model.AsSpan((int)(address.Value - s.Base), access.Length).ToArray() : read.Select(_ => (byte)0xA5).ToArray();
                Assert.Equal(expected, read);
            }
            bool oneRegion = access.Length == 0 || (covered && owners!.Distinct().Count() == 1);
            Assert.Equal(oneRegion, space.TryAccess(address, access.Length, 0, NoAccess));
        }

        // Every host byte holds what the model says, and holes were never written.
        for (int k = 0; k < 2; k++)
        {
            byte[] host = backends[k].ReadBytes(0, Window);
            byte[] expected = Enumerable.Range(0, Window).Select(x => owner[x] >= 0 && owner[x] % 2 == k ? model[x] : (byte)0).ToArray();
            Assert.Equal(expected, host);
        }
    }

    /// <summary>The owning segment of each byte of the range, or null if any byte is unmapped; plain wide arithmetic, no wrap.</summary>
    private static int[]? ModelOwners(ulong windowBase, int[] owner, ulong address, int length)
    {
        if ((UInt128)address + (UInt128)length > (UInt128)ulong.MaxValue + 1)
        {
            return null;
        }
        int[] owners = new int[length];
        for (int i = 0; i < length; i++)
        {
            UInt128 at = (UInt128)address + (UInt128)i;
            if (at < windowBase || at - windowBase >= Window || owner[(int)(at - windowBase)] < 0)
            {
                return null;
            }
            owners[i] = owner[(int)(at - windowBase)];
        }
        return owners;
    }

    [Fact]
    public async Task Readers_see_a_consistent_set_while_regions_are_added()
    {
        const int Count = 256;
        const int Size = (int)Page;
        static byte Mark(int i) => (byte)(i % 251 + 1);
        MemoryBackend backend = Ram((ulong)Count * Page);
        for (int i = 0; i < Count; i++)
        {
            backend.Fill((ulong)i * Page, Size, Mark(i));
        }
        const ulong Base = 0x1_0000_0000;
        var space = new GuestAddressSpace();
        int[] order = Enumerable.Range(0, Count).ToArray();
        new Random(42).Shuffle(order);
        using var start = new Barrier(4);
        int done = 0;
        long hits = 0;
        long misses = 0;

        Task writer = Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            foreach (int i in order)
            {
                space.Add(Region(Base + (ulong)i * Page, Page, backend, (ulong)i * Page, $"r{i}"));
                Thread.Sleep(1);
            }
            Volatile.Write(ref done, 1);
        }, TaskCreationOptions.LongRunning);

        Task Reader(int seed) => Task.Factory.StartNew(() =>
        {
            var random = new Random(seed);
            bool[] seen = new bool[Count];
            int lastCount = 0;
            byte[] buffer = new byte[Size];
            start.SignalAndWait();
            while (Volatile.Read(ref done) == 0)
            {
                // Half in region i, half in region i + 1 (or past the end, which stays unmapped).
                int i = random.Next(Count);
                Array.Clear(buffer);
                if (space.TryRead(new GuestAddress(Base + (ulong)i * Page + Page / 2), buffer))
                {
                    Assert.True(i + 1 < Count);
                    Assert.All(buffer[..(Size / 2)], b => Assert.Equal(Mark(i), b));
                    Assert.All(buffer[(Size / 2)..], b => Assert.Equal(Mark(i + 1), b));
                    seen[i] = true;
                    Interlocked.Increment(ref hits);
                }
                else
                {
                    Assert.False(seen[i], "a region disappeared");
                    Assert.All(buffer, b => Assert.Equal(0, b));
                    Interlocked.Increment(ref misses);
                }
                IReadOnlyList<GuestMemoryRegion> regions = space.Regions;
                Assert.True(regions.Count >= lastCount, "the region set shrank");
                lastCount = regions.Count;
                for (int r = 1; r < regions.Count; r++)
                {
                    Assert.True(regions[r - 1].Last.Value < regions[r].Base.Value, "regions out of order");
                }
            }
        }, TaskCreationOptions.LongRunning);

        await Task.WhenAll(writer, Reader(1), Reader(2), Reader(3));

        Assert.Equal(Count, space.Regions.Count);
        Assert.True(hits > 0 && misses > 0, $"readers overlapped the adds ({hits} hits, {misses} misses)");
        byte[] all = new byte[Count * Size];
        Assert.True(space.TryRead(new GuestAddress(Base), all));
        Assert.Equal(Mark(Count - 1), all[^1]);
    }

    // A TryAccess callback for checks of whether the access is allowed at all.
    private static void NoAccess(Span<byte> span, int state)
    {
    }
}
