namespace Vnvdimm.Host.Acpi;

/// <summary>Machine option <c>nvdimm-persistence</c>: what the NFIT's Platform Capabilities structure reports.</summary>
public enum NvdimmPersistence
{
    /// <summary>Option unset: no Platform Capabilities structure.</summary>
    None,
    /// <summary><c>cpu</c>: CPU cache and memory controller are flushed on power loss (capabilities 0x3).</summary>
    Cpu,
    /// <summary><c>mem-ctrl</c>: only the memory controller is flushed (capabilities 0x2).</summary>
    MemCtrl,
}
