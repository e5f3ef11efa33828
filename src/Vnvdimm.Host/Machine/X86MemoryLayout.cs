using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Host.Machine;

/// <summary>
/// Where RAM and the device-memory region sit in guest-physical space on pc/q35, computed as
/// QEMU 7.2's pc_init1/pc_q35_init (RAM split) and pc_memory_init (AMD relocation, phys-bits
/// bound, device memory) do, in 64-bit arithmetic that wraps as the C does
/// (research/qemu-nvdimm.md §2.1–2.2).
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
    /// <summary>TARGET_PAGE_SIZE: maxmem must be a multiple of it.</summary>
    public const ulong TargetPageSize = 4096;

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
    /// <summary>Size of the 64-bit PCI hole that follows device memory (2 GiB pc, 32 GiB q35).</summary>
    public ulong PciHole64Size { get; init; }

    /// <summary>Space memory devices may use in total: maxmem − RAM.</summary>
    public ulong DeviceMemoryBudget => MaxMem - RamSize;

    /// <summary>True when the board has a device-memory region (maxmem > RAM).</summary>
    public bool HasDeviceMemory => RamSize < MaxMem;

    /// <summary>
    /// The layout of <paramref name="machine"/>'s RAM with <paramref name="cpu"/>, which is
    /// realized after the RAM split as pc_init1 does; throws QEMU's board errors in QEMU's order.
    /// <paramref name="warn"/> gets the RAM-split warnings.
    /// </summary>
    public static X86MemoryLayout Compute(MachineOptions machine, MemoryOptions memory, CpuOptions cpu, Action<string>? warn = null)
    {
        ulong ram = memory.RamSize;
        ulong lowmem;
        if (machine.Kind == MachineKind.Pc)
        {
            ulong maxBelow = machine.MaxRamBelow4G is ulong given and not 0 ? given : 0xE000_0000;
            lowmem = maxBelow;
            // Large pc machines keep the low part gigabyte aligned.
            if (ram >= maxBelow)
            {
                if (lowmem > 0xC000_0000)
                {
                    lowmem = 0xC000_0000;
                }
                if ((lowmem & (GiB - 1)) != 0)
                {
                    warn?.Invoke($"warning: Large machine and max_ram_below_4g ({maxBelow}) not a multiple of 1G; possible bad performance.");
                }
            }
        }
        else
        {
            ulong maxBelow = machine.MaxRamBelow4G is ulong given and not 0 ? given : FourGiB;
            lowmem = ram >= 0xB000_0000 ? 0x8000_0000UL : 0xB000_0000UL;
            if (lowmem > maxBelow)
            {
                lowmem = maxBelow;
                if (ram - lowmem > lowmem && (lowmem & (GiB - 1)) != 0)
                {
                    warn?.Invoke($"warning: There is possibly poor performance as the ram size  (0x{ram:x}) is more then twice the size of max-ram-below-4g ({maxBelow}) and max-ram-below-4g is not a multiple of 1G.");
                }
            }
        }
        ulong below = ram >= lowmem ? lowmem : ram;
        cpu = cpu.Realize();
        ulong above = ram >= lowmem ? ram - lowmem : 0;

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
            PciHole64Size = machine.Kind == MachineKind.Pc ? 2 * GiB : 32 * GiB,
        };

        // AMD vCPUs: if the layout would reach the HT hole, RAM above 4 GiB starts at 1 TiB.
        if (cpu.IsAmd && layout.MaxUsedAddress(cpu.PhysBits) >= AmdHyperTransportStart)
        {
            layout = layout with { AboveFourGiBStart = AmdAbove1TiBStart };
        }

        ulong maxUsed = layout.MaxUsedAddress(cpu.PhysBits);
        ulong maxPhys = cpu.PhysBits >= 64 ? ulong.MaxValue : (1UL << (int)cpu.PhysBits) - 1;
        if (maxPhys < maxUsed)
        {
            throw new QemuOptionException($"Address space limit 0x{maxPhys:x} < 0x{maxUsed:x} phys-bits too low ({cpu.PhysBits})");
        }

        if (layout.HasDeviceMemory)
        {
            if (memory.Slots > MaxRamSlots)
            {
                throw new QemuOptionException($"unsupported amount of memory slots: {memory.Slots}");
            }
            if (memory.MaxMem % TargetPageSize != 0)
            {
                throw new QemuOptionException($"maximum memory size must by aligned to multiple of {TargetPageSize} bytes");
            }
            (ulong baseAddress, ulong size) = layout.DeviceMemoryRange();
            if (unchecked(baseAddress + size) < size)
            {
                throw new QemuOptionException($"unsupported amount of maximum memory: {memory.MaxMem:x}");
            }
            layout = layout with { DeviceMemoryBase = baseAddress, DeviceMemorySize = size };
        }
        return layout;
    }

    // pc_get_device_memory_range: after high RAM, 1 GiB aligned, with 1 GiB slack per slot.
    private (ulong Base, ulong Size) DeviceMemoryRange() => unchecked(
        (RoundUp(AboveFourGiBStart + AboveFourGiB, GiB), MaxMem - RamSize + GiB * Slots));

    // pc_max_used_gpa: the end of the 64-bit PCI hole that follows device memory.
    private ulong MaxUsedAddress(uint physBits)
    {
        if (physBits <= 32)
        {
            return (1UL << (int)physBits) - 1;
        }
        ulong hole64Start;
        if (HasDeviceMemory)
        {
            (ulong baseAddress, ulong size) = DeviceMemoryRange();
            hole64Start = unchecked(baseAddress + size);
        }
        else
        {
            hole64Start = unchecked(AboveFourGiBStart + AboveFourGiB);
        }
        return unchecked(RoundUp(hole64Start, GiB) + PciHole64Size - 1);
    }

    /// <summary>QEMU's ROUND_UP for a power-of-two alignment: wraps to 0 past the top.</summary>
    public static ulong RoundUp(ulong value, ulong alignment) => unchecked((value + alignment - 1) & ~(alignment - 1));

    /// <summary>QEMU_ALIGN_UP for any alignment (no wrap check, as in C).</summary>
    public static ulong AlignUp(ulong value, ulong alignment) => unchecked((value + alignment - 1) / alignment * alignment);
}
