namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>NVDIMM State Flags of a Memory Device to SPA Range Map structure.</summary>
[Flags]
public enum NfitMemoryDeviceStateFlags : ushort
{
    None = 0,
    SaveFailed = 1 << 0,
    RestoreFailed = 1 << 1,
    FlushFailed = 1 << 2,
    /// <summary>Not armed: the device may not retain data on power loss; Linux makes it read-only.</summary>
    NotArmed = 1 << 3,
    SmartEventsObserved = 1 << 4,
    SmartNotificationsEnabled = 1 << 5,
    NotMappedToSpa = 1 << 6,
}
