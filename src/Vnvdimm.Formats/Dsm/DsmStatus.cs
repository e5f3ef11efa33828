namespace Vnvdimm.Formats.Dsm;

/// <summary>The u32 status a DSM reply carries (research §5.2); wire values.</summary>
public enum DsmStatus : uint
{
    Success = 0,

    /// <summary>Unknown function, wrong revision, no label area, or a write to a read-only device.</summary>
    NotSupported = 1,

    /// <summary>The handle names no NVDIMM.</summary>
    NonExistingMemoryDevice = 2,

    /// <summary>Out of range or too long; a Read FIT offset past the end of the FIT.</summary>
    InvalidInput = 3,

    /// <summary>QEMU-private Read FIT only: the FIT changed since offset 0 was read; restart.</summary>
    FitChanged = 0x100,
}
