using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Firmware;

/// <summary>The allocations a loader script made, in the order it made them.</summary>
public sealed record FirmwareLoadResult(IReadOnlyList<FirmwareAllocation> Allocations)
{
    public FirmwareAllocation this[string file] =>
        Allocations.FirstOrDefault(a => a.File == file)
        ?? throw new KeyNotFoundException($"the loader script did not allocate '{file}'");

    public GuestAddress AddressOf(string file) => this[file].Address;
}
