using System.Buffers.Binary;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Loader;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Firmware;

public sealed class TableLoaderFirmwareTests
{
    private const ulong Ram = 512UL << 20;
    private const int Window = 1 << 20;

    private readonly ByteArrayGuestMemory _memory = new(Ram - Window, Window);

    private static byte[] Script(params TableLoaderCommand[] commands)
    {
        var script = new byte[commands.Length * TableLoaderCommandLayout.Size];
        for (int i = 0; i < commands.Length; i++)
        {
            commands[i].WriteTo(script.AsSpan(i * TableLoaderCommandLayout.Size));
        }
        return script;
    }

    private byte[] Read(GuestAddress address, int length)
    {
        var bytes = new byte[length];
        _memory.ReadExactly(address, bytes);
        return bytes;
    }

    [Fact]
    public void High_allocations_go_top_down_with_their_alignment()
    {
        var files = new Dictionary<string, byte[]> { ["page"] = new byte[4096], ["blob"] = new byte[1000], ["small"] = [1, 2, 3] };

        FirmwareLoadResult result = new TableLoaderFirmware(_memory, Ram).Run(Script(
            TableLoaderCommand.Allocate("page", 4096, TableLoaderZone.High),
            TableLoaderCommand.Allocate("blob", 64, TableLoaderZone.High),
            TableLoaderCommand.Allocate("small", 16, TableLoaderZone.High)), files);

        Assert.Equal(0x1FFFF000UL, result.AddressOf("page").Value);
        Assert.Equal((0x1FFFF000UL - 1000) & ~63UL, result.AddressOf("blob").Value);
        // The 24-byte gap between the blob's end and the page is the highest free space that fits.
        Assert.Equal((0x1FFFF000UL - 3) & ~15UL, result.AddressOf("small").Value);
        Assert.Equal([1, 2, 3], Read(result.AddressOf("small"), 3));
    }

    [Fact]
    public void Fseg_allocations_stay_in_the_f_segment()
    {
        var memory = new ByteArrayGuestMemory(0, 0x100000);
        var files = new Dictionary<string, byte[]> { ["etc/acpi/rsdp"] = new byte[20] };

        FirmwareLoadResult result = new TableLoaderFirmware(memory, 0x200000).Run(Script(TableLoaderCommand.Allocate("etc/acpi/rsdp", 16, TableLoaderZone.FSeg)), files);

        Assert.InRange(result.AddressOf("etc/acpi/rsdp").Value, TableLoaderFirmware.FSegStart, TableLoaderFirmware.FSegEnd - 20);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Add_pointer_adds_the_source_address_within_the_pointer_width(byte size)
    {
        var dest = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(dest.AsSpan(4), 0x10);
        var files = new Dictionary<string, byte[]> { ["src"] = new byte[4096], ["dest"] = dest };

        FirmwareLoadResult result = new TableLoaderFirmware(_memory, Ram).Run(Script(
            TableLoaderCommand.Allocate("src", 4096, TableLoaderZone.High),
            TableLoaderCommand.Allocate("dest", 64, TableLoaderZone.High),
            TableLoaderCommand.AddPointer("dest", "src", 4, size)), files);

        ulong expected = 0x1FFFF010UL & (size == 8 ? ulong.MaxValue : (1UL << (8 * size)) - 1);
        byte[] after = Read(result.AddressOf("dest"), 16);
        var pointer = new byte[8];
        after.AsSpan(4, size).CopyTo(pointer);
        Assert.Equal(expected, BinaryPrimitives.ReadUInt64LittleEndian(pointer));
        Assert.All(after.AsSpan(4 + size).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Add_checksum_makes_the_range_sum_to_zero()
    {
        byte[] table = [.. Enumerable.Range(1, 50).Select(i => (byte)(i * 7))];
        var files = new Dictionary<string, byte[]> { ["t"] = table };

        FirmwareLoadResult result = new TableLoaderFirmware(_memory, Ram).Run(Script(
            TableLoaderCommand.Allocate("t", 64, TableLoaderZone.High),
            TableLoaderCommand.AddChecksum("t", 9, 0, 50)), files);

        Assert.True(AcpiChecksum.IsValid(Read(result.AddressOf("t"), 50)));
    }

    [Fact]
    public void Padding_and_unknown_commands_are_skipped()
    {
        byte[] script = [.. Script(TableLoaderCommand.Allocate("a", 64, TableLoaderZone.High)), .. new byte[TableLoaderCommandLayout.Size]];
        script[TableLoaderCommandLayout.Size] = 0x42;

        FirmwareLoadResult result = new TableLoaderFirmware(_memory, Ram).Run(script, new Dictionary<string, byte[]> { ["a"] = [1] });

        Assert.Single(result.Allocations);
    }

    [Fact]
    public void Pinned_files_are_placed_where_asked_and_others_avoid_them()
    {
        var files = new Dictionary<string, byte[]> { ["page"] = new byte[4096], ["blob"] = new byte[100] };
        var pinned = new Dictionary<string, GuestAddress> { ["blob"] = new(0x1FFFFF00) };

        FirmwareLoadResult result = new TableLoaderFirmware(_memory, Ram).Run(Script(
            TableLoaderCommand.Allocate("blob", 64, TableLoaderZone.High),
            TableLoaderCommand.Allocate("page", 4096, TableLoaderZone.High)), files, pinned);

        Assert.Equal(0x1FFFFF00UL, result.AddressOf("blob").Value);
        Assert.Equal(0x1FFFE000UL, result.AddressOf("page").Value);
    }

    public static TheoryData<TableLoaderCommand[], string> BadScripts => new()
    {
        { [TableLoaderCommand.Allocate("missing", 64, TableLoaderZone.High)], "not a fw_cfg file" },
        { [TableLoaderCommand.Allocate("a", 64, TableLoaderZone.High), TableLoaderCommand.Allocate("a", 64, TableLoaderZone.High)], "twice" },
        { [TableLoaderCommand.Allocate("a", 64, TableLoaderZone.High), TableLoaderCommand.AddPointer("a", "b", 0, 4)], "not allocated" },
        { [TableLoaderCommand.Allocate("a", 64, TableLoaderZone.High), TableLoaderCommand.AddPointer("a", "a", 14, 4)], "runs past" },
        { [TableLoaderCommand.Allocate("a", 64, TableLoaderZone.High), TableLoaderCommand.AddChecksum("a", 0, 8, 9)], "outside" },
        { [TableLoaderCommand.Allocate("a", 64, TableLoaderZone.High), TableLoaderCommand.AddChecksum("a", 16, 0, 4)], "outside" },
        { [new TableLoaderCommand(TableLoaderCommandType.WritePointer, "a", "a", Offset: 0, Size: 8)], "WRITE_POINTER" },
        { [TableLoaderCommand.Allocate("big", 64, TableLoaderZone.FSeg)], "no room" },
    };

    [Theory]
    [MemberData(nameof(BadScripts))]
    public void Rejects_scripts_it_cannot_execute(TableLoaderCommand[] commands, string reason)
    {
        var files = new Dictionary<string, byte[]> { ["a"] = new byte[16], ["big"] = new byte[0x30000] };

        FirmwareLoaderException error = Assert.Throws<FirmwareLoaderException>(() => new TableLoaderFirmware(_memory, Ram).Run(Script(commands), files));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Rejects_partial_commands_and_unmapped_memory()
    {
        Assert.Throws<FirmwareLoaderException>(() => new TableLoaderFirmware(_memory, Ram).Run(new byte[100], new Dictionary<string, byte[]>()));
        // RAM the memory does not back: 1 GiB below 4 GiB is not in the window.
        var files = new Dictionary<string, byte[]> { ["a"] = [1] };
        FirmwareLoaderException error = Assert.Throws<FirmwareLoaderException>(() => new TableLoaderFirmware(_memory, 1UL << 30).Run(Script(TableLoaderCommand.Allocate("a", 64, TableLoaderZone.High)), files));
        Assert.Contains("not mapped", error.Message);
    }

    [Fact]
    public void Rejects_misaligned_or_out_of_range_pins()
    {
        var files = new Dictionary<string, byte[]> { ["p"] = new byte[4096] };
        byte[] script = Script(TableLoaderCommand.Allocate("p", 4096, TableLoaderZone.High));

        Assert.Throws<FirmwareLoaderException>(() => new TableLoaderFirmware(_memory, Ram).Run(script, files, new Dictionary<string, GuestAddress> { ["p"] = new(0x1FFFF800) }));
        Assert.Throws<FirmwareLoaderException>(() => new TableLoaderFirmware(_memory, Ram).Run(script, files, new Dictionary<string, GuestAddress> { ["p"] = new(Ram) }));
    }

    [Fact]
    public void Ram_below_4g_must_be_plausible()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TableLoaderFirmware(_memory, 0x1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TableLoaderFirmware(_memory, (1UL << 32) + 1));
    }
}
