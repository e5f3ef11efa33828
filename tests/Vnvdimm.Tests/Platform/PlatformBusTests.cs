using Vnvdimm.Platform.Bus;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Platform;

public sealed class PlatformBusTests
{
    private static readonly PlatformBus Bus0 = new(new NoMemory());

    private static PlatformBus NewBus() => new(new NoMemory());

    [Theory]
    [InlineData(1, 0xFFu)]
    [InlineData(2, 0xFFFFu)]
    [InlineData(4, 0xFFFF_FFFFu)]
    public void Ports_without_a_handler_read_as_all_ones(int size, uint expected)
    {
        Assert.Equal(expected, Bus0.ReadPort(0x0A18, size));
        Assert.Equal(expected, Bus0.ReadPort(0xFFFF, size));
        Bus0.WritePort(0x80, size, 0x1234_5678); // dropped
    }

    [Fact]
    public void Accesses_reach_the_handler_with_offsets_relative_to_its_base_and_masked_values()
    {
        PlatformBus bus = NewBus();
        var handler = new RecordingHandler(readValue: 0xAABB_CCDD);
        bus.RegisterPortIo(0x100, 8, handler);

        bus.WritePort(0x100, 4, 0x1122_3344);
        bus.WritePort(0x105, 1, 0x1122_3344);
        bus.WritePort(0x106, 2, 0x1122_3344);
        Assert.Equal(0xAABB_CCDDu, bus.ReadPort(0x104, 4));
        Assert.Equal(0xDDu, bus.ReadPort(0x107, 1));
        Assert.Equal(0xCCDDu, bus.ReadPort(0x100, 2));

        Assert.Equal(
            [("w", 0, 4, 0x1122_3344u), ("w", 5, 1, 0x44u), ("w", 6, 2, 0x3344u), ("r", 4, 4, 0u), ("r", 7, 1, 0u), ("r", 0, 2, 0u)],
            handler.Accesses);
    }

    [Fact]
    public void An_access_straddling_the_edge_of_a_handler_is_unassigned()
    {
        PlatformBus bus = NewBus();
        var handler = new RecordingHandler(readValue: 0);
        bus.RegisterPortIo(0x0A18, 4, handler);

        Assert.Equal(0xFFFF_FFFFu, bus.ReadPort(0x0A16, 4));
        Assert.Equal(0xFFFF_FFFFu, bus.ReadPort(0x0A19, 4));
        Assert.Equal(0xFFFFu, bus.ReadPort(0x0A1B, 2));
        bus.WritePort(0x0A17, 2, 1);
        bus.WritePort(0x0A1A, 4, 1);
        Assert.Equal(0xFFFF_FFFFu, bus.ReadPort(0xFFFE, 4)); // would pass port 0xFFFF
        Assert.Empty(handler.Accesses);
    }

    [Fact]
    public void Handlers_at_both_ends_of_the_port_space_and_side_by_side()
    {
        PlatformBus bus = NewBus();
        var low = new RecordingHandler(1);
        var middle = new RecordingHandler(2);
        var high = new RecordingHandler(3);
        bus.RegisterPortIo(0x0000, 0x10, low);
        bus.RegisterPortIo(0xFFFC, 4, high);
        bus.RegisterPortIo(0x0010, 0x10, middle);
        Assert.Equal(1u, bus.ReadPort(0x000F, 1));
        Assert.Equal(2u, bus.ReadPort(0x0010, 1));
        Assert.Equal(3u, bus.ReadPort(0xFFFC, 4));
        Assert.Equal(3u, bus.ReadPort(0xFFFF, 1));
        Assert.Equal(0xFFu, bus.ReadPort(0x0020, 1));
    }

    [Fact]
    public void Registration_refuses_overlaps_empty_ranges_and_ranges_past_0xFFFF()
    {
        PlatformBus bus = NewBus();
        bus.RegisterPortIo(0x0A18, 4, new RecordingHandler(0));
        var overlap = Assert.Throws<InvalidOperationException>(() => bus.RegisterPortIo(0x0A1B, 2, new RecordingHandler(0)));
        Assert.Contains("[0x0a18, 0x0a1c)", overlap.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => bus.RegisterPortIo(0x0A10, 9, new RecordingHandler(0)));
        Assert.Throws<InvalidOperationException>(() => bus.RegisterPortIo(0x0A00, 0x100, new RecordingHandler(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.RegisterPortIo(0x100, 0, new RecordingHandler(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.RegisterPortIo(0xFFFF, 2, new RecordingHandler(0)));
        bus.RegisterPortIo(0x0A14, 4, new RecordingHandler(0)); // adjacent is fine
        bus.RegisterPortIo(0x0A1C, 4, new RecordingHandler(0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    public void Widths_other_than_1_2_4_are_a_caller_bug(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bus0.ReadPort(0x80, size));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bus0.WritePort(0x80, size, 0));
    }

    [Fact]
    public void Setting_a_gpe_bit_latches_it_and_raises_the_sci_until_cleared()
    {
        PlatformBus bus = NewBus();
        var raised = new List<ulong>();
        bus.Sci += raised.Add;

        bus.SetGpe0Status(4);
        bus.SetGpe0Status(4);
        bus.SetGpe0Status(63);

        Assert.Equal([0x10UL, 0x10UL, 0x8000_0000_0000_0010UL], raised);
        Assert.Equal(0x8000_0000_0000_0010UL, bus.Gpe0Status);
        Assert.Equal(0x8000_0000_0000_0000UL, bus.ClearGpe0Status(0x10));
        Assert.Equal(0UL, bus.ClearGpe0Status(ulong.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.SetGpe0Status(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.SetGpe0Status(-1));
    }

    [Fact]
    public void Gpe_bits_set_from_many_threads_are_all_latched()
    {
        PlatformBus bus = NewBus();
        long events = 0;
        bus.Sci += _ => Interlocked.Increment(ref events);
        Parallel.For(0, 64, bit =>
        {
            for (int i = 0; i < 1000; i++)
            {
                bus.SetGpe0Status(bit);
            }
        });
        Assert.Equal(ulong.MaxValue, bus.Gpe0Status);
        Assert.Equal(64_000, Interlocked.Read(ref events));
    }

    [Fact]
    public void Lookups_run_while_handlers_are_registered()
    {
        PlatformBus bus = NewBus();
        using var started = new ManualResetEventSlim();
        bool stop = false;
        bool wrong = false;
        long reads = 0;
        var reader = new Thread(() =>
        {
            started.Set();
            while (!Volatile.Read(ref stop))
            {
                wrong |= bus.ReadPort(0x0100, 1) is not (0xFF or 7);
                reads++;
            }
        });
        reader.Start();
        started.Wait();
        for (ushort port = 0x200; port < 0x1200; port += 4)
        {
            bus.RegisterPortIo(port, 4, new RecordingHandler(0));
        }
        bus.RegisterPortIo(0x100, 1, new RecordingHandler(7));
        Assert.Equal(7u, bus.ReadPort(0x100, 1));
        Volatile.Write(ref stop, true);
        reader.Join();
        Assert.False(wrong);
        Assert.True(reads > 0);
    }

    [Fact]
    public void The_bus_hands_out_the_memory_it_was_given()
    {
        var memory = new NoMemory();
        Assert.Same(memory, new PlatformBus(memory).Memory);
        Assert.Throws<ArgumentNullException>(() => new PlatformBus(null!));
    }

    private sealed class RecordingHandler(uint readValue) : IPortIoHandler
    {
        public List<(string Kind, int Offset, int Size, uint Value)> Accesses { get; } = [];

        public uint Read(ushort offset, int size)
        {
            lock (Accesses)
            {
                Accesses.Add(("r", offset, size, 0));
            }
            return readValue;
        }

        public void Write(ushort offset, int size, uint value)
        {
            lock (Accesses)
            {
                Accesses.Add(("w", offset, size, value));
            }
        }
    }

    private sealed class NoMemory : IGuestMemory
    {
        public bool TryRead(GuestAddress address, Span<byte> destination) => destination.IsEmpty;

        public bool TryWrite(GuestAddress address, ReadOnlySpan<byte> source) => source.IsEmpty;
    }
}
