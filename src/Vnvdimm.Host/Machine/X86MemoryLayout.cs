using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Host.Machine;

/// <summary>
/// Where RAM and the device-memory region sit in guest-physical space on pc/q35, computed as
/// QEMU 7.2's pc_memory_init does (research/qemu-nvdimm.md §2.1–2.2).
/// </summary>
public sealed record X86MemoryLayout
{
    public const ulong GiB = 1UL << 30;
    public const ulong FourGiB = 4 * GiB;
    /// <summary>AMD HyperTransport hole start; RAM above 4 GiB moves to 1 TiB when the layout reaches it.</summary>
    public const ulong AmdHyperTransportStart = 0xFD_0000_0000;
    public const ulong AmdAbove1TiBStart = 0x100_0000_0000;
    /// <summary>ACPI_MAX_RAM_SLOTS.</summary>
    public const ulong MaxRamSlots = 256;

    public required ulong RamSize { get; init; }
    public required ulong BelowFourGiB { get; init; }
    public required ulong AboveFourGiB { get; init; }
    public required ulong AboveFourGiBStart { get; init; }
    /// <summary>Base of the device-memory region (0 when there is none).</summary>
    public required ulong DeviceMemoryBase { get; init; }
    /// <summary>Size of the device-memory region: (maxmem − RAM) + 1 GiB per slot; 0 when maxmem == RAM.</summary>
    public required ulong DeviceMemorySize { get; init; }
    public required ulong MaxMem { get; init; }
    public required ulong Slots { get; init; }

    /// <summary>Space memory devices may use in total: maxmem − RAM.</summary>
    public ulong DeviceMemoryBudget => MaxMem - RamSize;

    public static X86MemoryLayout Compute(MachineOptions machine, MemoryOptions memory, CpuOptions cpu)
    {
        ulong ram = memory.RamSize;
        ulong lowmem;
        if (machine.Kind == MachineKind.Pc)
        {
            ulong maxBelow = machine.MaxRamBelow4G ?? 0xE000_0000;
            lowmem = maxBelow;
            // Large pc machines keep the low part gigabyte aligned.
            if (ram >= maxBelow && lowmem > 0xC000_0000)
            {
                lowmem = 0xC000_0000;
            }
        }
        else
        {
            ulong maxBelow = machine.MaxRamBelow4G ?? FourGiB;
            lowmem = ram >= 0xB000_0000 ? 0x8000_0000UL : 0xB000_0000UL;
            lowmem = Math.Min(lowmem, maxBelow);
        }
        ulong below = Math.Min(ram, lowmem);
        ulong above = ram - below;
        ulong pciHole64Size = machine.Kind == MachineKind.Pc ? 2 * GiB : 32 * GiB;

        var layout = new X86MemoryLayout
        {
            RamSize = ram,
            BelowFourGiB = below,
            AboveFourGiB = above,
            AboveFourGiBStart = FourGiB,
            DeviceMemoryBase = 0,
            DeviceMemorySize = 0,
            MaxMem = memory.MaxMem,
            Slots = memory.Slots,
        };
        layout = layout.WithDeviceMemory();

        // AMD vCPUs: if the layout would reach the HT hole, RAM above 4 GiB starts at 1 TiB.
        if (cpu.IsAmd && layout.MaxUsedAddress(cpu.PhysBits, pciHole64Size) >= AmdHyperTransportStart)
        {
            layout = (layout with { AboveFourGiBStart = AmdAbove1TiBStart }).WithDeviceMemory();
        }

        UInt128 maxUsed = layout.MaxUsedAddress(cpu.PhysBits, pciHole64Size);
        UInt128 maxPhys = (UInt128.One << (int)cpu.PhysBits) - 1;
        if (maxPhys < maxUsed)
        {
            throw new QemuOptionException($"Address space limit 0x{maxPhys:x} < 0x{maxUsed:x} phys-bits too low ({cpu.PhysBits})");
        }

        if (memory.RamSize < memory.MaxMem)
        {
            if (memory.Slots > MaxRamSlots)
            {
                throw new QemuOptionException($"unsupported amount of memory slots: {memory.Slots}");
            }
            if (memory.MaxMem % 4096 != 0)
            {
                throw new QemuOptionException("maximum memory size must by aligned to multiple of 4096 bytes");
            }
            UInt128 end = (UInt128)layout.DeviceMemoryBase + layout.DeviceMemorySize;
            if (end > ulong.MaxValue)
            {
                throw new QemuOptionException($"unsupported amount of maximum memory: {memory.MaxMem:x}");
            }
        }
        return layout;
    }

    private X86MemoryLayout WithDeviceMemory()
    {
        if (RamSize >= MaxMem)
        {
            return this with { DeviceMemoryBase = 0, DeviceMemorySize = 0 };
        }
        ulong highEnd = AboveFourGiBStart + AboveFourGiB;
        // Room for 1 GiB alignment per slot ("assuming 1G page max alignment per slot").
        UInt128 size = (UInt128)(MaxMem - RamSize) + (UInt128)GiB * Slots;
        return this with { DeviceMemoryBase = AlignUp(highEnd, GiB), DeviceMemorySize = (ulong)UInt128.Min(size, ulong.MaxValue) };
    }

    // pc_max_used_gpa: the end of the 64-bit PCI hole, which follows device memory.
    private UInt128 MaxUsedAddress(uint physBits, ulong pciHole64Size)
    {
        if (physBits <= 32)
        {
            return (UInt128.One << (int)physBits) - 1;
        }
        UInt128 hole64Start = DeviceMemorySize != 0
            ? (UInt128)DeviceMemoryBase + DeviceMemorySize
            : (UInt128)AboveFourGiBStart + AboveFourGiB;
        hole64Start = (hole64Start + (GiB - 1)) / GiB * GiB;
        return hole64Start + pciHole64Size - 1;
    }

    public static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) / alignment * alignment;
}
