namespace Vnvdimm.Host.Acpi;

/// <summary>Where one table sits inside the tables blob.</summary>
public readonly record struct AcpiTableLocation(int Offset, int Length);
