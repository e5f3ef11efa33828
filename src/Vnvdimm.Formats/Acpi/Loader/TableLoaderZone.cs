namespace Vnvdimm.Formats.Acpi.Loader;

/// <summary>Where an Allocate command wants its file placed.</summary>
public enum TableLoaderZone : byte
{
    /// <summary>Anywhere in RAM below 4 GiB (SeaBIOS: top of low RAM, allocated downwards).</summary>
    High = 1,
    /// <summary>The F segment (0xE0000-0xFFFFF), reachable by 16-bit code; used for the RSDP.</summary>
    FSeg = 2,
}
