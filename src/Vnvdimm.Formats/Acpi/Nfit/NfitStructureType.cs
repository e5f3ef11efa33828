namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>NFIT structure types (ACPI 6.5 Table 5.133).</summary>
public enum NfitStructureType : ushort
{
    SpaRange = 0,
    MemoryDeviceMap = 1,
    InterleaveDescription = 2,
    SmbiosManagementInformation = 3,
    ControlRegion = 4,
    BlockDataWindowRegion = 5,
    FlushHintAddress = 6,
    PlatformCapabilities = 7,
}
