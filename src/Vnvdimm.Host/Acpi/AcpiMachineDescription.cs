using Vnvdimm.Formats.Acpi;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// The machine as the NVDIMM ACPI tables see it: <c>-m slots=</c>, <c>nvdimm-persistence</c>,
/// <c>x-oem-id</c>, <c>x-oem-table-id</c> and the plugged NVDIMMs, in the order QEMU lists them in
/// the NFIT (its QOM-tree order, see VirtualMachine.NvdimmsInQomOrder).
/// </summary>
public sealed record AcpiMachineDescription(
    int Slots,
    NvdimmPersistence Persistence,
    IReadOnlyList<NvdimmAcpiDevice> Nvdimms,
    string OemId = AcpiMachineDescription.DefaultOemId,
    string OemTableId = AcpiMachineDescription.DefaultOemTableId)
{
    /// <summary>QEMU's default <c>x-oem-id</c>.</summary>
    public const string DefaultOemId = "BOCHS ";

    /// <summary>QEMU's default <c>x-oem-table-id</c>.</summary>
    public const string DefaultOemTableId = "BXPC    ";

    /// <summary>QEMU's limit on memory slots (and the most NVxx names "NV%02X" can spell).</summary>
    public const int MaxSlots = 256;

    /// <summary>Throws <see cref="ArgumentException"/> describing the first inconsistency.</summary>
    public void Validate()
    {
        if (Slots is < 0 or > MaxSlots)
        {
            throw new ArgumentException($"slots must be between 0 and {MaxSlots}, not {Slots}");
        }
        if (!SdtHeader.IsValidText(OemId, SdtHeaderLayout.OemIdLength))
        {
            throw new ArgumentException($"OEM ID '{OemId}' must be at most {SdtHeaderLayout.OemIdLength} printable ASCII characters");
        }
        if (!SdtHeader.IsValidText(OemTableId, SdtHeaderLayout.OemTableIdLength))
        {
            throw new ArgumentException($"OEM table ID '{OemTableId}' must be at most {SdtHeaderLayout.OemTableIdLength} printable ASCII characters");
        }
        var seen = new HashSet<int>();
        foreach (NvdimmAcpiDevice device in Nvdimms)
        {
            if (device.Slot < 0 || device.Slot >= Slots)
            {
                throw new ArgumentException($"NVDIMM slot {device.Slot} is outside 0..{Slots - 1}");
            }
            if (!seen.Add(device.Slot))
            {
                throw new ArgumentException($"two NVDIMMs claim slot {device.Slot}");
            }
            if (device.Size == 0 || device.Address + device.Size < device.Address)
            {
                throw new ArgumentException($"NVDIMM in slot {device.Slot} has an empty or wrapping range [0x{device.Address:x}, +0x{device.Size:x})");
            }
        }
    }
}
