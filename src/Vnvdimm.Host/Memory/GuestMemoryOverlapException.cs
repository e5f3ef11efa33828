namespace Vnvdimm.Host.Memory;

/// <summary>A region was added over guest-physical addresses that another region already maps.</summary>
public sealed class GuestMemoryOverlapException(GuestMemoryRegion region, GuestMemoryRegion existing)
    : ArgumentException($"guest memory region {region} overlaps region {existing}")
{
    /// <summary>The region that was refused.</summary>
    public GuestMemoryRegion Region { get; } = region;

    /// <summary>The region already in the address space.</summary>
    public GuestMemoryRegion Existing { get; } = existing;
}
