namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>Flags of an SPA Range structure.</summary>
[Flags]
public enum NfitSpaRangeFlags : ushort
{
    None = 0,
    /// <summary>Control region is only for hot add/online operation.</summary>
    ControlRegionForHotAddOnly = 1 << 0,
    ProximityDomainValid = 1 << 1,
    LocationCookieValid = 1 << 2,
}
