namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>Memory Device to SPA Range Map structure, type 1: 48 bytes.</summary>
public static class NfitMemoryDeviceMapLayout
{
    public const int DeviceHandleOffset = NfitStructureHeader.Size;
    public const int PhysicalIdOffset = DeviceHandleOffset + sizeof(uint);
    public const int RegionIdOffset = PhysicalIdOffset + sizeof(ushort);
    public const int SpaRangeIndexOffset = RegionIdOffset + sizeof(ushort);
    public const int ControlRegionIndexOffset = SpaRangeIndexOffset + sizeof(ushort);
    public const int RegionSizeOffset = ControlRegionIndexOffset + sizeof(ushort);
    public const int RegionOffsetOffset = RegionSizeOffset + sizeof(ulong);
    public const int PhysicalAddressRegionBaseOffset = RegionOffsetOffset + sizeof(ulong);
    public const int InterleaveIndexOffset = PhysicalAddressRegionBaseOffset + sizeof(ulong);
    public const int InterleaveWaysOffset = InterleaveIndexOffset + sizeof(ushort);
    public const int StateFlagsOffset = InterleaveWaysOffset + sizeof(ushort);
    public const int ReservedOffset = StateFlagsOffset + sizeof(ushort);
    public const int Size = ReservedOffset + sizeof(ushort);
}
