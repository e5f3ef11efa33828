namespace Vnvdimm.Guest.Nfit;

/// <summary>NVDIMM _DSM command families, numbered as Linux numbers them; a DIMM uses the lowest one its function 0 answers for.</summary>
public enum DsmFamily
{
    None = -1,
    Intel = 0,
    Hpe1 = 1,
    Hpe2 = 2,
    Msft = 3,
    HyperV = 4,
}
