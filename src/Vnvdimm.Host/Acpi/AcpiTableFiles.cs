using Vnvdimm.Host.Firmware;

namespace Vnvdimm.Host.Acpi;

/// <summary>What <see cref="AcpiTableWriter"/> writes, in memory: file names with their bytes, and where the firmware placed the tables.</summary>
public sealed record AcpiTableFiles(IReadOnlyList<(string Name, byte[] Contents)> Files, LoadedAcpiTables Placement);
