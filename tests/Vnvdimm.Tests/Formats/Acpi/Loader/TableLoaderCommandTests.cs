using Vnvdimm.Formats.Acpi.Loader;

namespace Vnvdimm.Tests.Formats.Acpi.Loader;

/// <summary>Commands against QEMU 7.2's own etc/table-loader for the s1 configuration (read over fw_cfg with qtest).</summary>
public sealed class TableLoaderCommandTests
{
    private const string AllocateDsmPage = "010000006574632F616370692F6E7664696D6D2D6D656D000000000000000000000000000000000000000000000000000000000000000000000000000010000001";
    private const string AllocateTables = "010000006574632F616370692F7461626C657300000000000000000000000000000000000000000000000000000000000000000000000000000000004000000001";
    private const string AddMemaPointer = "020000006574632F616370692F7461626C657300000000000000000000000000000000000000000000000000000000000000000000000000000000006574632F616370692F6E7664696D6D2D6D656D000000000000000000000000000000000000000000000000000000000000000000000000007C29000004";
    private const string AddSsdtChecksum = "030000006574632F616370692F7461626C65730000000000000000000000000000000000000000000000000000000000000000000000000000000000E8200000DF200000A108";

    public static TheoryData<string, TableLoaderCommand> QemuCommands => new()
    {
        { AllocateDsmPage, TableLoaderCommand.Allocate("etc/acpi/nvdimm-mem", 4096, TableLoaderZone.High) },
        { AllocateTables, TableLoaderCommand.Allocate("etc/acpi/tables", 64, TableLoaderZone.High) },
        { AddMemaPointer, TableLoaderCommand.AddPointer("etc/acpi/tables", "etc/acpi/nvdimm-mem", 10620, 4) },
        { AddSsdtChecksum, TableLoaderCommand.AddChecksum("etc/acpi/tables", 8424, 8415, 2209) },
    };

    [Theory]
    [MemberData(nameof(QemuCommands))]
    public void Encodes_and_parses_like_qemu(string hex, TableLoaderCommand command)
    {
        var expected = new byte[TableLoaderCommandLayout.Size];
        Convert.FromHexString(hex).CopyTo(expected, 0);
        var written = new byte[TableLoaderCommandLayout.Size];
        command.WriteTo(written);

        Assert.Equal(expected, written);
        Assert.True(TableLoaderCommand.TryRead(expected, out TableLoaderCommand parsed, out string? error), error);
        Assert.Equal(command, parsed);
    }

    [Fact]
    public void Write_pointer_round_trips()
    {
        var command = new TableLoaderCommand(TableLoaderCommandType.WritePointer, "etc/vmgenid_addr", "etc/vmgenid_guid", Offset: 0, Size: 8, SourceOffset: 40);
        var bytes = new byte[TableLoaderCommandLayout.Size];
        command.WriteTo(bytes);

        Assert.True(TableLoaderCommand.TryRead(bytes, out TableLoaderCommand parsed, out string? error), error);
        Assert.Equal(command, parsed);
        Assert.Equal(8, bytes[TableLoaderCommandLayout.WritePointerSizeOffset]);
    }

    [Fact]
    public void Padding_and_unknown_commands_parse_as_skippable()
    {
        var bytes = new byte[TableLoaderCommandLayout.Size];
        Assert.True(TableLoaderCommand.TryRead(bytes, out TableLoaderCommand padding, out _));
        Assert.Equal((TableLoaderCommandType)0, padding.Type);

        bytes[0] = 9;
        Assert.True(TableLoaderCommand.TryRead(bytes, out TableLoaderCommand unknown, out _));
        Assert.Equal((TableLoaderCommandType)9, unknown.Type);
    }

    [Theory]
    [InlineData(AllocateTables, TableLoaderCommandLayout.AllocateAlignmentOffset, 48, "power of two")]
    [InlineData(AllocateTables, TableLoaderCommandLayout.AllocateZoneOffset, 3, "zone")]
    [InlineData(AddMemaPointer, TableLoaderCommandLayout.PointerSizeOffset, 3, "size")]
    [InlineData(AddMemaPointer, TableLoaderCommandLayout.FileOffset, 0, "empty")]
    public void Rejects_malformed_commands(string hex, int offset, byte value, string reason)
    {
        var bytes = new byte[TableLoaderCommandLayout.Size];
        Convert.FromHexString(hex).CopyTo(bytes, 0);
        bytes[offset] = value;

        Assert.False(TableLoaderCommand.TryRead(bytes, out _, out string? error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Rejects_file_names_without_room_for_the_nul()
    {
        var bytes = new byte[TableLoaderCommandLayout.Size];
        Convert.FromHexString(AllocateTables).CopyTo(bytes, 0);
        bytes.AsSpan(TableLoaderCommandLayout.FileOffset, TableLoaderCommandLayout.FileNameLength).Fill((byte)'a');

        Assert.False(TableLoaderCommand.TryRead(bytes, out _, out string? error));
        Assert.Contains("NUL", error);
        Assert.Throws<ArgumentException>(() => TableLoaderCommand.Allocate(new string('a', 56), 64, TableLoaderZone.High).WriteTo(new byte[128]));
    }
}
