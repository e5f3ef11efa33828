namespace Vnvdimm.Guest.Nfit;

/// <summary>What an SPA range is, by its address range type GUID (Linux's nfit_spa_type).</summary>
public enum NfitSpaType
{
    Unknown = -1,
    Volatile = 0,
    PersistentMemory = 1,
    ControlRegion = 2,
    BlockDataWindow = 3,
    VolatileVirtualDisk = 4,
    VolatileVirtualCd = 5,
    PersistentVirtualDisk = 6,
    PersistentVirtualCd = 7,
}
