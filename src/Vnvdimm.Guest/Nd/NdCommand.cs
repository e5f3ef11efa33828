namespace Vnvdimm.Guest.Nd;

/// <summary>libnvdimm DIMM command numbers (ND_CMD_*), which equal the Intel _DSM function numbers.</summary>
public enum NdCommand
{
    Smart = 1,
    SmartThreshold = 2,
    DimmFlags = 3,
    GetConfigSize = 4,
    GetConfigData = 5,
    SetConfigData = 6,
    VendorEffectLogSize = 7,
    VendorEffectLog = 8,
    Vendor = 9,
    Call = 10,
}
