using Vnvdimm.Formats.Acpi.Loader;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Firmware;

/// <summary>Where the firmware copied one fw_cfg file in guest RAM.</summary>
public sealed record FirmwareAllocation(string File, GuestAddress Address, int Length, TableLoaderZone Zone)
{
    public ulong End => Address.Value + (ulong)Length;

    public bool Overlaps(ulong start, ulong end) => start < End && Address.Value < end;
}
