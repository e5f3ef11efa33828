namespace Vnvdimm.Guest.Nd;

/// <summary>The reply to Get Config Size (ND_CMD_GET_CONFIG_SIZE): firmware status, label-area size, max transfer per command.</summary>
public readonly record struct NdConfigSize(uint Status, uint ConfigSize, uint MaxTransfer);
