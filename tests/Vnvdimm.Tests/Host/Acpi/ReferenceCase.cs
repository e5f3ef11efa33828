using Vnvdimm.Host.Acpi;

namespace Vnvdimm.Tests.Host.Acpi;

/// <summary>
/// Each capture's configuration (qemu-args.txt) by hand: slots, persistence and the NVDIMMs with
/// the address and pmem size QEMU assigned (file backends are page-aligned, so P = size - label).
/// </summary>
internal static class ReferenceCase
{
    public const ulong RamBelow4G = 512UL << 20;
    public const uint SeaBiosDsmPage = 0x1FFFF000;

    private const ulong DeviceMemoryBase = 0x1_0000_0000;
    private const ulong KiB = 1024;
    private const ulong MiB = 1024 * KiB;

    public static readonly string[] Names = ["s1", "s2", "s3", "s4", "lab", "hotplug"];

    public static AcpiMachineDescription Machine(string name) => name switch
    {
        // -m 512M,slots=4 ; nvdimm size=256M,label-size=128K
        "s1" => new(4, NvdimmPersistence.None, [Device(0, DeviceMemoryBase, 256 * MiB, 128 * KiB)]),
        // -m 512M,slots=2 ; nvdimm size=256M, no label
        "s2" => new(2, NvdimmPersistence.None, [Device(0, DeviceMemoryBase, 256 * MiB, 0)]),
        // q35, nvdimm-persistence=cpu, slots=3 ; nv1 512M label 256K, nv2 128M right after nv1's pmem;
        // listed in QEMU's QOM order (nv2 before nv1 in /machine/peripheral's hash table).
        "s3" => new(3, NvdimmPersistence.Cpu,
        [
            Device(1, DeviceMemoryBase + 512 * MiB - 256 * KiB, 128 * MiB, 0),
            Device(0, DeviceMemoryBase, 512 * MiB, 256 * KiB),
        ]),
        // nvdimm-persistence=mem-ctrl, slots=2 ; 256M, unarmed=on, label 128K
        "s4" => new(2, NvdimmPersistence.MemCtrl, [Device(0, DeviceMemoryBase, 256 * MiB, 128 * KiB) with { Unarmed = true }]),
        // slots=2 ; 512M, label 128K
        "lab" => new(2, NvdimmPersistence.None, [Device(0, DeviceMemoryBase, 512 * MiB, 128 * KiB)]),
        // slots=4 ; the boot-time tables, before the second DIMM is hot-added
        "hotplug" => new(4, NvdimmPersistence.None, [Device(0, DeviceMemoryBase, 256 * MiB, 128 * KiB)]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown reference case"),
    };

    private static NvdimmAcpiDevice Device(int slot, ulong address, ulong backendSize, ulong labelSize) =>
        new(slot, address, backendSize - labelSize, Node: 0, Unarmed: false, labelSize);
}
