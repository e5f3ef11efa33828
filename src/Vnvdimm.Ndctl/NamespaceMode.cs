namespace Vnvdimm.Ndctl;

/// <summary>A namespace's personality as ndctl names it; it comes from the info block the kernel finds (pfn, dax, btt) or none.</summary>
public enum NamespaceMode
{
    Raw,
    Fsdax,
    Devdax,
    Sector,
}
