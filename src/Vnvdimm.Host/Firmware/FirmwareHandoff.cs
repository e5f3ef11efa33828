using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Firmware;

/// <summary>
/// What the built-in firmware hands the guest at boot, as EFI hands over its ACPI configuration
/// table: the address of the RSDP, from which every table is reachable (RSDP → XSDT → FADT → DSDT,
/// SSDT, NFIT). <see cref="Tables"/> is the host's record of where the NVDIMM tables went.
/// </summary>
public sealed record FirmwareHandoff(GuestAddress Rsdp, LoadedAcpiTables Tables);
