using Vnvdimm.Formats.Acpi;

namespace Vnvdimm.Host.Acpi;

/// <summary>The header fields QEMU fills the same way for every table it builds.</summary>
public static class QemuAcpiHeader
{
    public const uint OemRevision = 1;
    public const string CreatorId = "BXPC";
    public const uint CreatorRevision = 1;

    /// <summary>A header with checksum 0, to be fixed once the body is in place.</summary>
    public static SdtHeader Create(string signature, byte revision, uint length, string oemId, string oemTableId) =>
        new(signature, length, revision, 0, oemId, oemTableId, OemRevision, CreatorId, CreatorRevision);
}
