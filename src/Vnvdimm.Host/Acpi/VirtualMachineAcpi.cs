using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Machine;

namespace Vnvdimm.Host.Acpi;

/// <summary>The ACPI view of a built machine: its slots, persistence, OEM ids and plugged NVDIMMs.</summary>
public static class VirtualMachineAcpi
{
    /// <remarks>Reads the devices under the machine's plug lock, so a concurrent device_add cannot tear the list.</remarks>
    public static AcpiMachineDescription Describe(VirtualMachine machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        MachineOptions options = machine.Options;
        // QEMU lists the NVDIMMs' structure groups in QOM-tree order, not slot order.
        List<NvdimmAcpiDevice> nvdimms = machine.ReadUnderPlugLock(() => machine.NvdimmsInQomOrder
            .Select(d => new NvdimmAcpiDevice(d.Slot, d.Address.Value, d.ExposedSize, d.Node, d.Unarmed, d.LabelSize))
            .ToList());
        // QEMU builds the NVDIMM tables only with nvdimm=on; slots come from -m.
        int slots = options.Nvdimm ? (int)Math.Min(machine.Layout.Slots, (ulong)AcpiMachineDescription.MaxSlots) : 0;
        return new AcpiMachineDescription(slots, options.NvdimmPersistence, nvdimms, options.OemId, options.OemTableId);
    }
}
