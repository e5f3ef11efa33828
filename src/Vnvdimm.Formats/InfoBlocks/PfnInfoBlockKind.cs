namespace Vnvdimm.Formats.InfoBlocks;

/// <summary>Which personality a pfn-layout info block claims: fsdax (NVDIMM_PFN_INFO) or devdax (NVDIMM_DAX_INFO).</summary>
public enum PfnInfoBlockKind
{
    Pfn,
    Dax,
}
