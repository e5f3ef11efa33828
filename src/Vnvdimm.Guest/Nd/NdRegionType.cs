namespace Vnvdimm.Guest.Nd;

/// <summary>The kind of region an SPA range produced.</summary>
public enum NdRegionType
{
    Pmem,
    Volatile,
}
