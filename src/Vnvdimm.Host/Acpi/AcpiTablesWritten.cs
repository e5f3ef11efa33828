using Vnvdimm.Host.Firmware;

namespace Vnvdimm.Host.Acpi;

/// <summary>The files <see cref="AcpiTableWriter"/> wrote and where the firmware placed the tables and DSM page.</summary>
public sealed record AcpiTablesWritten(IReadOnlyList<string> Files, LoadedAcpiTables Placement);
