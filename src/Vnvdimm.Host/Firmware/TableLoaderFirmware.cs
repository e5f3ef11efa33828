using System.Buffers.Binary;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Acpi.Loader;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Firmware;

/// <summary>
/// Executes a QEMU linker/loader script against guest RAM, the part of SeaBIOS's
/// <c>romfile_loader</c> that ACPI needs. Allocations in the HIGH zone go top-down from the end of
/// RAM below 4 GiB, each aligned as asked, so the first HIGH allocation of a 4 KiB page lands on
/// the last page of low RAM (0x1FFFF000 with 512 MiB), where SeaBIOS put it in every capture.
/// FSEG allocations go top-down in 0xE0000-0xFFFFF.
/// </summary>
public sealed class TableLoaderFirmware
{
    public const ulong FSegStart = 0xE0000;
    public const ulong FSegEnd = 0x100000;

    // HIGH allocations stay above the first MiB (legacy areas, FSEG).
    private const ulong HighZoneFloor = 0x100000;
    private const ulong FourGiB = 1UL << 32;

    private readonly IGuestMemory _memory;
    private readonly ulong _ramBelow4G;

    /// <param name="memory">Guest RAM the tables are copied into.</param>
    /// <param name="ramBelow4G">Bytes of RAM below 4 GiB, i.e. the top of the HIGH zone.</param>
    public TableLoaderFirmware(IGuestMemory memory, ulong ramBelow4G)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (ramBelow4G <= HighZoneFloor || ramBelow4G > FourGiB)
        {
            throw new ArgumentOutOfRangeException(nameof(ramBelow4G), $"RAM below 4 GiB must be above 1 MiB and at most 4 GiB, not 0x{ramBelow4G:x}");
        }
        _memory = memory;
        _ramBelow4G = ramBelow4G;
    }

    /// <summary>
    /// Runs <paramref name="script"/>. <paramref name="fixedAddresses"/> pins chosen files to an
    /// address instead of letting the allocator pick (the CLI's <c>--dsm-page</c>).
    /// </summary>
    public FirmwareLoadResult Run(
        ReadOnlySpan<byte> script,
        IReadOnlyDictionary<string, byte[]> files,
        IReadOnlyDictionary<string, GuestAddress>? fixedAddresses = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (script.Length % TableLoaderCommandLayout.Size != 0)
        {
            throw new FirmwareLoaderException($"loader script of {script.Length} bytes is not a whole number of {TableLoaderCommandLayout.Size}-byte commands");
        }
        var allocations = new List<FirmwareAllocation>();
        for (int offset = 0; offset < script.Length; offset += TableLoaderCommandLayout.Size)
        {
            if (!TableLoaderCommand.TryRead(script[offset..], out TableLoaderCommand command, out string? error))
            {
                throw new FirmwareLoaderException($"loader command {offset / TableLoaderCommandLayout.Size}: {error}");
            }
            switch (command.Type)
            {
                case TableLoaderCommandType.Allocate:
                    allocations.Add(Allocate(command, files, fixedAddresses, allocations));
                    break;
                case TableLoaderCommandType.AddPointer:
                    AddPointer(command, allocations);
                    break;
                case TableLoaderCommandType.AddChecksum:
                    AddChecksum(command, allocations);
                    break;
                case TableLoaderCommandType.WritePointer:
                    throw new FirmwareLoaderException($"WRITE_POINTER into '{command.File}' needs a writable fw_cfg file, which the built-in firmware does not have");
                default:
                    // Padding (0) and commands from newer QEMUs are skipped, as SeaBIOS does.
                    break;
            }
        }
        return new FirmwareLoadResult(allocations);
    }

    private FirmwareAllocation Allocate(
        TableLoaderCommand command,
        IReadOnlyDictionary<string, byte[]> files,
        IReadOnlyDictionary<string, GuestAddress>? fixedAddresses,
        List<FirmwareAllocation> allocations)
    {
        if (!files.TryGetValue(command.File, out byte[]? contents))
        {
            throw new FirmwareLoaderException($"ALLOCATE names '{command.File}', which is not a fw_cfg file");
        }
        if (allocations.Any(a => a.File == command.File))
        {
            throw new FirmwareLoaderException($"'{command.File}' is allocated twice");
        }
        (ulong floor, ulong top) = command.Zone == TableLoaderZone.FSeg ? (FSegStart, FSegEnd) : (HighZoneFloor, _ramBelow4G);
        ulong size = (ulong)contents.Length;
        ulong address;
        if (fixedAddresses is not null && fixedAddresses.TryGetValue(command.File, out GuestAddress pinned))
        {
            address = pinned.Value;
            if (address % command.Alignment != 0 || address < floor || address > top || top - address < size)
            {
                throw new FirmwareLoaderException($"'{command.File}' cannot be placed at {pinned}: it needs {command.Alignment}-byte alignment and room for 0x{size:x} bytes in [0x{floor:x}, 0x{top:x})");
            }
            if (allocations.FirstOrDefault(a => a.Overlaps(address, address + size)) is { } clash)
            {
                throw new FirmwareLoaderException($"'{command.File}' at {pinned} overlaps '{clash.File}' at {clash.Address}");
            }
        }
        else
        {
            address = FindTopDown(floor, top, size, command.Alignment, allocations)
                ?? throw new FirmwareLoaderException($"no room for '{command.File}' (0x{size:x} bytes) in [0x{floor:x}, 0x{top:x})");
        }
        var allocation = new FirmwareAllocation(command.File, new GuestAddress(address), contents.Length, command.Zone);
        if (!_memory.TryWrite(allocation.Address, contents))
        {
            throw new FirmwareLoaderException($"guest RAM at {allocation.Address} (+0x{size:x}) for '{command.File}' is not mapped");
        }
        return allocation;
    }

    // Highest aligned start whose range fits below the zone top and misses every allocation.
    private static ulong? FindTopDown(ulong floor, ulong top, ulong size, uint alignment, List<FirmwareAllocation> allocations)
    {
        while (top - floor >= size)
        {
            ulong candidate = (top - size) & ~((ulong)alignment - 1);
            if (candidate < floor)
            {
                return null;
            }
            FirmwareAllocation? clash = allocations.Where(a => a.Overlaps(candidate, candidate + Math.Max(size, 1))).MaxBy(a => a.End);
            if (clash is null)
            {
                return candidate;
            }
            top = clash.Address.Value;
        }
        return null;
    }

    private void AddPointer(TableLoaderCommand command, List<FirmwareAllocation> allocations)
    {
        FirmwareAllocation destination = Find(command.File, allocations, "ADD_POINTER destination");
        FirmwareAllocation source = Find(command.SourceFile, allocations, "ADD_POINTER source");
        if ((ulong)command.Offset + command.Size > (ulong)destination.Length)
        {
            throw new FirmwareLoaderException($"ADD_POINTER at 0x{command.Offset:x} (+{command.Size}) runs past '{destination.File}' (0x{destination.Length:x} bytes)");
        }
        var at = new GuestAddress(destination.Address.Value + command.Offset);
        Span<byte> pointer = stackalloc byte[sizeof(ulong)];
        pointer.Clear();
        ReadOrThrow(at, pointer[..command.Size]);
        // Little-endian pointer of 1-8 bytes plus the source's address, truncated to its width.
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(pointer) + source.Address.Value;
        BinaryPrimitives.WriteUInt64LittleEndian(pointer, value);
        WriteOrThrow(at, pointer[..command.Size]);
    }

    private void AddChecksum(TableLoaderCommand command, List<FirmwareAllocation> allocations)
    {
        FirmwareAllocation file = Find(command.File, allocations, "ADD_CHECKSUM");
        if ((ulong)command.Start + command.Length > (ulong)file.Length || command.Offset >= (ulong)file.Length)
        {
            throw new FirmwareLoaderException($"ADD_CHECKSUM range [0x{command.Start:x}, +0x{command.Length:x}) or result 0x{command.Offset:x} lies outside '{file.File}' (0x{file.Length:x} bytes)");
        }
        var range = new byte[command.Length];
        ReadOrThrow(new GuestAddress(file.Address.Value + command.Start), range);
        var at = new GuestAddress(file.Address.Value + command.Offset);
        Span<byte> checksum = stackalloc byte[1];
        ReadOrThrow(at, checksum);
        // As SeaBIOS: subtract the range's sum from the checksum byte, which the range includes.
        checksum[0] -= AcpiChecksum.Sum(range);
        WriteOrThrow(at, checksum);
    }

    private static FirmwareAllocation Find(string file, List<FirmwareAllocation> allocations, string what) =>
        allocations.FirstOrDefault(a => a.File == file)
        ?? throw new FirmwareLoaderException($"{what} names '{file}', which was not allocated");

    private void ReadOrThrow(GuestAddress address, Span<byte> destination)
    {
        if (!_memory.TryRead(address, destination))
        {
            throw new FirmwareLoaderException($"guest RAM at {address} (+0x{destination.Length:x}) is not mapped");
        }
    }

    private void WriteOrThrow(GuestAddress address, ReadOnlySpan<byte> source)
    {
        if (!_memory.TryWrite(address, source))
        {
            throw new FirmwareLoaderException($"guest RAM at {address} (+0x{source.Length:x}) is not mapped");
        }
    }
}
