namespace Vnvdimm.Formats.Labels;

/// <summary>
/// One DIMM's contribution to an interleave-set cookie (research §1.13): the memdev's region_offset
/// and the DCR identity fields, as the values the NFIT stores little-endian (QEMU slot N: serial
/// 0x123456+N, vendor 0x8086, date 0, location 0, region_offset 0).
/// </summary>
public readonly record struct InterleaveSetMember(ulong RegionOffset, uint Serial, ushort VendorId = 0x8086, ushort ManufacturingDate = 0, byte ManufacturingLocation = 0);
