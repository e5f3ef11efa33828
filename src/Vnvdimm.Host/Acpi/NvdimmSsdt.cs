namespace Vnvdimm.Host.Acpi;

/// <summary>
/// The NVDIMM SSDT with MEMA = 0 and a checksum valid for that. <see cref="MemaValueOffset"/> is
/// where MEMA's 4 value bytes sit in <see cref="Table"/>: the loader adds the DSM page address there.
/// </summary>
public sealed record NvdimmSsdt(byte[] Table, int MemaValueOffset);
