using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Loader;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// Collects linker/loader commands in QEMU's order (hw/acpi/bios-linker-loader.c): every Allocate
/// is put in front of all earlier commands, so allocations run first and in reverse order of
/// addition; pointer and checksum commands keep the order they were added in.
/// </summary>
public sealed class TableLoaderScriptBuilder
{
    private readonly List<TableLoaderCommand> _allocations = [];
    private readonly List<TableLoaderCommand> _patches = [];

    public void Allocate(string file, uint alignment, TableLoaderZone zone) =>
        _allocations.Insert(0, TableLoaderCommand.Allocate(file, alignment, zone));

    public void AddPointer(string destinationFile, string sourceFile, int offset, byte size) =>
        _patches.Add(TableLoaderCommand.AddPointer(destinationFile, sourceFile, checked((uint)offset), size));

    /// <summary>Checksums the whole table at <paramref name="table"/> in <paramref name="file"/>.</summary>
    public void AddTableChecksum(string file, AcpiTableLocation table) =>
        _patches.Add(TableLoaderCommand.AddChecksum(
            file,
            checked((uint)(table.Offset + SdtHeaderLayout.ChecksumOffset)),
            checked((uint)table.Offset),
            checked((uint)table.Length)));

    public IReadOnlyList<TableLoaderCommand> Commands => [.. _allocations, .. _patches];

    /// <summary>The script: 128 bytes per command, no padding (QEMU pads its fw_cfg file to 4 KiB with zero commands, which firmware skips).</summary>
    public byte[] ToArray()
    {
        IReadOnlyList<TableLoaderCommand> commands = Commands;
        var script = new byte[commands.Count * TableLoaderCommandLayout.Size];
        for (int i = 0; i < commands.Count; i++)
        {
            commands[i].WriteTo(script.AsSpan(i * TableLoaderCommandLayout.Size));
        }
        return script;
    }
}
