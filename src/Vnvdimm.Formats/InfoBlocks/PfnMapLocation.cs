namespace Vnvdimm.Formats.InfoBlocks;

/// <summary>pfn_sb.mode: where the struct page memmap lives (ndctl --map=mem|dev); 0 is invalid.</summary>
public enum PfnMapLocation : uint
{
    None = 0,
    Ram = 1,
    Pmem = 2,
}
