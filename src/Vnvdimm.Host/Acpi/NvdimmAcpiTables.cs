using Vnvdimm.Host.Firmware;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// The NVDIMM part of what QEMU hands the firmware: the tables blob (SSDT then NFIT, checksum
/// bytes left 0 as QEMU leaves them) and the loader script that places it, allocates the DSM page,
/// patches MEMA and checksums both tables.
/// </summary>
/// <param name="Tables">Contents of <see cref="AcpiFirmwareFiles.Tables"/>.</param>
/// <param name="LoaderScript">Contents of <see cref="AcpiFirmwareFiles.TableLoader"/>.</param>
/// <param name="Ssdt">The SSDT in <paramref name="Tables"/>; null when the machine has no slots.</param>
/// <param name="Nfit">The NFIT in <paramref name="Tables"/>; null when no NVDIMM is plugged.</param>
/// <param name="MemaOffset">Offset of MEMA's 4 value bytes in <paramref name="Tables"/>, or null without an SSDT.</param>
public sealed record NvdimmAcpiTables(
    byte[] Tables,
    byte[] LoaderScript,
    AcpiTableLocation? Ssdt,
    AcpiTableLocation? Nfit,
    int? MemaOffset)
{
    /// <summary>The fw_cfg files the loader script refers to, as <see cref="TableLoaderFirmware"/> takes them.</summary>
    public IReadOnlyDictionary<string, byte[]> CreateFirmwareFiles()
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [AcpiFirmwareFiles.Tables] = Tables };
        if (Ssdt is not null)
        {
            files[AcpiFirmwareFiles.NvdimmDsmPage] = new byte[NvdimmSsdtBuilder.DsmPageSize];
        }
        return files;
    }
}
