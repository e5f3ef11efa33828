namespace Vnvdimm.Host.Configuration;

/// <summary>The machine's nvdimm-persistence setting, advertised in the NFIT Platform Capabilities.</summary>
public enum NvdimmPersistenceOption
{
    None,
    /// <summary>"cpu": CPU caches and memory controller are flushed on power loss (capabilities 0x3).</summary>
    Cpu,
    /// <summary>"mem-ctrl": only the memory controller is flushed (capabilities 0x2).</summary>
    MemCtrl,
}
