namespace Vnvdimm.Formats.Aml;

/// <summary>RegionSpace byte of an OperationRegion (ACPI 6.5 §19.6.100).</summary>
public enum AmlRegionSpace : byte
{
    SystemMemory = 0x00,
    SystemIO = 0x01,
    PciConfig = 0x02,
    EmbeddedControl = 0x03,
    SMBus = 0x04,
    SystemCmos = 0x05,
    PciBarTarget = 0x06,
    Ipmi = 0x07,
    GeneralPurposeIO = 0x08,
    GenericSerialBus = 0x09,
    PlatformCommunicationChannel = 0x0A,
}
