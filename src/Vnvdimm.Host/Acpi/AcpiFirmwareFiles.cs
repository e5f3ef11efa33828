namespace Vnvdimm.Host.Acpi;

/// <summary>fw_cfg file names QEMU uses for ACPI and the NVDIMM DSM page.</summary>
public static class AcpiFirmwareFiles
{
    /// <summary>The blob holding the tables back to back.</summary>
    public const string Tables = "etc/acpi/tables";

    /// <summary>The linker/loader script.</summary>
    public const string TableLoader = "etc/table-loader";

    /// <summary>The 4 KiB DSM page the firmware allocates and whose address goes into MEMA.</summary>
    public const string NvdimmDsmPage = "etc/acpi/nvdimm-mem";

    /// <summary>Alignment QEMU asks for the tables blob.</summary>
    public const uint TablesAlignment = 64;
}
