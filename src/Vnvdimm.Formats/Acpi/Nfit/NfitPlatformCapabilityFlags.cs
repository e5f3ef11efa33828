namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>Capabilities word of a Platform Capabilities structure (ACPI 6.2 Errata A+).</summary>
[Flags]
public enum NfitPlatformCapabilityFlags : uint
{
    None = 0,
    /// <summary>CPU caches are flushed to the NVDIMMs on power loss.</summary>
    CpuCacheFlush = 1 << 0,
    /// <summary>The memory controller flushes its buffers to the NVDIMMs on power loss.</summary>
    MemoryControllerFlush = 1 << 1,
    MemoryMirroring = 1 << 2,
}
