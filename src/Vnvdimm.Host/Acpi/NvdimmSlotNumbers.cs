namespace Vnvdimm.Host.Acpi;

/// <summary>
/// Identities QEMU derives from a DIMM slot. Handle 0 is the root device and index 0 means
/// "absent", hence the +1 everywhere.
/// </summary>
public static class NvdimmSlotNumbers
{
    /// <summary>NFIT device handle and the NVxx device's <c>_ADR</c>.</summary>
    public static uint DeviceHandle(int slot) => (uint)slot + 1;

    public static ushort SpaRangeIndex(int slot) => (ushort)((slot + 1) * 2);

    public static ushort ControlRegionIndex(int slot) => (ushort)(SpaRangeIndex(slot) + 1);

    public static uint SerialNumber(int slot) => 0x123456u + (uint)slot;

    /// <summary>The ACPI device name, <c>NV</c> plus two uppercase hex digits.</summary>
    public static string AcpiDeviceName(int slot) => $"NV{slot:X2}";
}
