namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>Platform Capabilities structure, type 7: 16 bytes.</summary>
public static class NfitPlatformCapabilitiesLayout
{
    public const int HighestValidCapabilityOffset = NfitStructureHeader.Size;
    public const int Reserved1Offset = HighestValidCapabilityOffset + sizeof(byte);
    public const int CapabilitiesOffset = Reserved1Offset + 3;
    public const int Reserved2Offset = CapabilitiesOffset + sizeof(uint);
    public const int Size = Reserved2Offset + sizeof(uint);
}
