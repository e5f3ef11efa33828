using Vnvdimm.Formats.Acpi.Nfit;

namespace Vnvdimm.Guest.Nd;

/// <summary>
/// A DIMM on an NVDIMM bus (nmemN): identity from the NFIT, the commands its firmware supports,
/// and what the nvdimm driver learnt when it probed the label area.
/// </summary>
public sealed class Nvdimm
{
    private readonly INvdimmCommands? _commands;

    internal Nvdimm(NvdimmBus bus, int id, uint handle, ushort physicalId, string? uniqueId, NfitMemoryDeviceStateFlags flags, ulong commandMask, INvdimmCommands? commands)
    {
        Bus = bus;
        Id = id;
        Handle = handle;
        PhysicalId = physicalId;
        UniqueId = uniqueId;
        Flags = flags;
        CommandMask = commandMask;
        _commands = commands;
    }

    public NvdimmBus Bus { get; }

    public int Id { get; }

    public string Name => $"nmem{Id}";

    /// <summary>The NFIT device handle (QEMU: slot + 1).</summary>
    public uint Handle { get; }

    public ushort PhysicalId { get; }

    /// <summary>nfit/id: vendor-serial (plus location and date when valid), byte-swapped as Linux prints it; null without a control region.</summary>
    public string? UniqueId { get; }

    /// <summary>The NFIT state flags of all the DIMM's memory-device structures, OR-ed.</summary>
    public NfitMemoryDeviceStateFlags Flags { get; }

    /// <summary>Bit n set: <see cref="NdCommand"/> n can be sent (the nmemN/commands attribute).</summary>
    public ulong CommandMask { get; }

    /// <summary>Not armed: every region using this DIMM is read-only.</summary>
    public bool IsUnarmed => (Flags & NfitMemoryDeviceStateFlags.NotArmed) != 0;

    /// <summary>The nvdimm driver is bound (its probe succeeded).</summary>
    public bool IsEnabled { get; internal set; }

    /// <summary>NDD_LABELING: a valid namespace index was found, so this DIMM's regions are labelled.</summary>
    public bool IsLabeling { get; internal set; }

    /// <summary>The firmware reported the labels or capacity locked.</summary>
    public bool IsLocked { get; internal set; }

    /// <summary>What Get Config Size returned when the driver probed, if it asked.</summary>
    public NdConfigSize? ConfigArea { get; internal set; }

    /// <summary>The driver's copy of the label area (index blocks and in-use label slots read; free slots zero).</summary>
    public byte[]? LabelData { get; internal set; }

    /// <summary>The current namespace index block (0 or 1), or -1 when the area holds no valid index.</summary>
    public int CurrentIndex { get; internal set; } = -1;

    /// <summary>Label size (128 or 256) the valid index describes.</summary>
    public int LabelSize { get; internal set; }

    public bool Supports(NdCommand command) => ((CommandMask >> (int)command) & 1) != 0;

    /// <summary>ND_CMD_GET_CONFIG_SIZE, as the ioctl on /dev/nmemN runs it.</summary>
    public int GetConfigSize(out NdConfigSize size)
    {
        size = default;
        return Supports(NdCommand.GetConfigSize) && _commands is not null ? _commands.GetConfigSize(out size) : -Errno.ENOTTY;
    }

    /// <summary>One ND_CMD_GET_CONFIG_DATA of at most the max transfer.</summary>
    public int GetConfigData(uint offset, Span<byte> destination) =>
        Supports(NdCommand.GetConfigData) && _commands is not null ? _commands.GetConfigData(offset, destination) : -Errno.ENOTTY;

    /// <summary>One ND_CMD_SET_CONFIG_DATA of at most the max transfer.</summary>
    public int SetConfigData(uint offset, ReadOnlySpan<byte> source) =>
        Supports(NdCommand.SetConfigData) && _commands is not null ? _commands.SetConfigData(offset, source) : -Errno.ENOTTY;

    /// <summary>The NFIT driver's view of the DIMM (its DCR and memdev), for ndctl's identity of it.</summary>
    internal INvdimmCommands? Commands => _commands;

    public override string ToString() => Name;
}
