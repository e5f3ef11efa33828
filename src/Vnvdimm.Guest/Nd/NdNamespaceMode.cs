namespace Vnvdimm.Guest.Nd;

/// <summary>A namespace's personality as ndctl names it.</summary>
public enum NdNamespaceMode
{
    Raw,
    Fsdax,
    Devdax,
    Sector,
}
