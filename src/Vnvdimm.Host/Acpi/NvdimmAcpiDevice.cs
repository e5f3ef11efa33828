namespace Vnvdimm.Host.Acpi;

/// <summary>
/// What the ACPI tables need to know about one NVDIMM.
/// </summary>
/// <param name="Slot">DIMM slot, 0-based; determines the handle, indices, serial and NVxx name.</param>
/// <param name="Address">Guest-physical base of the pmem area.</param>
/// <param name="Size">Pmem size P (backend size minus label, aligned down); the label area is not included.</param>
/// <param name="Node">NUMA node, written as the SPA range's proximity domain.</param>
/// <param name="Unarmed">The device's <c>unarmed</c> property: sets NVDIMM State Flags bit 3.</param>
/// <param name="LabelSize">Label area size (0 for none). The tables do not depend on it; the DSM does.</param>
public sealed record NvdimmAcpiDevice(int Slot, ulong Address, ulong Size, uint Node, bool Unarmed, ulong LabelSize);
