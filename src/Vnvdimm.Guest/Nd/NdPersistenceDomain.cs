namespace Vnvdimm.Guest.Nd;

/// <summary>A region's persistence domain, from the NFIT Platform Capabilities.</summary>
public enum NdPersistenceDomain
{
    /// <summary>No capability reported (sysfs shows an empty line; ndctl prints "unknown").</summary>
    Unknown,
    CpuCache,
    MemoryController,
}
