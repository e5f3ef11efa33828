namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>
/// NVDIMM Control Region structure, type 4: 80 bytes, or 32 when it describes no block control
/// windows (everything from <see cref="BlockControlWindowSizeOffset"/> on is then absent).
/// </summary>
public static class NfitControlRegionLayout
{
    public const int IndexOffset = NfitStructureHeader.Size;
    public const int VendorIdOffset = IndexOffset + sizeof(ushort);
    public const int DeviceIdOffset = VendorIdOffset + sizeof(ushort);
    public const int RevisionIdOffset = DeviceIdOffset + sizeof(ushort);
    public const int SubsystemVendorIdOffset = RevisionIdOffset + sizeof(ushort);
    public const int SubsystemDeviceIdOffset = SubsystemVendorIdOffset + sizeof(ushort);
    public const int SubsystemRevisionIdOffset = SubsystemDeviceIdOffset + sizeof(ushort);
    public const int ValidFieldsOffset = SubsystemRevisionIdOffset + sizeof(ushort);
    public const int ManufacturingLocationOffset = ValidFieldsOffset + sizeof(byte);
    public const int ManufacturingDateOffset = ManufacturingLocationOffset + sizeof(byte);
    public const int Reserved1Offset = ManufacturingDateOffset + sizeof(ushort);
    public const int SerialNumberOffset = Reserved1Offset + sizeof(ushort);
    public const int RegionFormatInterfaceCodeOffset = SerialNumberOffset + sizeof(uint);
    public const int BlockControlWindowCountOffset = RegionFormatInterfaceCodeOffset + sizeof(ushort);
    public const int BlockControlWindowSizeOffset = BlockControlWindowCountOffset + sizeof(ushort);
    public const int CommandRegisterOffsetOffset = BlockControlWindowSizeOffset + sizeof(ulong);
    public const int CommandRegisterSizeOffset = CommandRegisterOffsetOffset + sizeof(ulong);
    public const int StatusRegisterOffsetOffset = CommandRegisterSizeOffset + sizeof(ulong);
    public const int StatusRegisterSizeOffset = StatusRegisterOffsetOffset + sizeof(ulong);
    public const int FlagsOffset = StatusRegisterSizeOffset + sizeof(ulong);
    public const int Reserved2Offset = FlagsOffset + sizeof(ushort);
    public const int Size = Reserved2Offset + 6;

    /// <summary>Shortest valid form: up to the window count, when that count is zero.</summary>
    public const int SizeWithoutBlockWindows = BlockControlWindowSizeOffset;
}
