using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Machine;

/// <summary>
/// The device-memory ("hotplug") region and its DIMM slots: slot choice and first-fit address
/// placement as QEMU 7.2's pc_dimm_pre_plug and memory_device_pre_plug do them (§2.3–2.4).
/// </summary>
public sealed class DeviceMemoryRegion(X86MemoryLayout layout, Action<string> warn)
{
    // Copy-on-write: readers (monitors, ACPI) enumerate a snapshot while a plug adds a device.
    private MemoryDevice[] _devices = [];

    public ulong Base => layout.DeviceMemoryBase;
    public ulong Size => layout.DeviceMemorySize;
    public ulong Slots => layout.Slots;

    /// <summary>Realized memory devices, sorted by address.</summary>
    public IReadOnlyList<MemoryDevice> Devices => Volatile.Read(ref _devices);

    /// <summary>Sum of the exposed sizes of all realized memory devices.</summary>
    public ulong UsedSize => Devices.Aggregate(0UL, (sum, d) => sum + d.ExposedSize);

    /// <summary>Picks the slot: explicit must be free, automatic is the lowest free one.</summary>
    public int AssignSlot(int requested)
    {
        if ((requested < 0 || (ulong)requested >= Slots) && requested != MemoryDevice.UnassignedSlot)
        {
            throw new QemuOptionException($"invalid slot number {requested}, valid range is [0-{unchecked(Slots - 1)}]");
        }
        if (Slots == 0)
        {
            throw new QemuOptionException("no slots where allocated, please specify the 'slots' option");
        }
        var used = new HashSet<int>(_devices.Select(d => d.Slot));
        if (requested != MemoryDevice.UnassignedSlot)
        {
            if (used.Contains(requested))
            {
                throw new QemuOptionException($"slot {requested} is busy");
            }
            return requested;
        }
        for (int slot = 0; (ulong)slot < Slots; slot++)
        {
            if (!used.Contains(slot))
            {
                return slot;
            }
        }
        throw new QemuOptionException("no free slots available");
    }

    /// <summary>
    /// memory_device_get_free_addr: checks the budget and chooses (or validates) the address of a
    /// region of <paramref name="size"/> bytes aligned to <paramref name="align"/>, with QEMU's
    /// 64-bit range arithmetic (a range may not end exactly at 2^64).
    /// </summary>
    public GuestAddress AssignAddress(ulong? hint, ulong align, ulong size)
    {
        if (Size == 0)
        {
            throw new QemuOptionException("memory devices (e.g. for memory hotplug) are not enabled, please specify the maxmem option");
        }
        ulong regionLast = unchecked(Base + Size - 1);
        if (Base % align != 0)
        {
            warn($"warning: the alignment (0x{align:x}) exceeds the expected maximum alignment, memory will get fragmented and not all 'maxmem' might be usable for memory devices.");
        }
        ulong used = UsedSize;
        ulong budget = layout.DeviceMemoryBudget;
        if (unchecked(used + size) < used || unchecked(used + size) > budget)
        {
            throw new QemuOptionException($"not enough space, currently 0x{used:x} in use of total space for memory devices 0x{budget:x}");
        }
        if (hint is { } h && h % align != 0)
        {
            throw new QemuOptionException($"address must be aligned to 0x{align:x} bytes");
        }
        if (size % align != 0)
        {
            throw new QemuOptionException($"backend memory size must be multiple of 0x{align:x}");
        }

        ulong start;
        if (hint is { } requested)
        {
            if (!TryRange(requested, size, out ulong last) || requested < Base || last > regionLast)
            {
                throw new QemuOptionException($"can't add memory device [0x{requested:x}:0x{size:x}], usable range for memory devices [0x{Base:x}:0x{Size:x}]");
            }
            start = requested;
        }
        else
        {
            start = X86MemoryLayout.AlignUp(Base, align);
            if (!TryRange(start, size, out _))
            {
                throw new QemuOptionException("can't add memory device, device too big");
            }
        }

        bool empty = false;
        foreach (MemoryDevice device in _devices)
        {
            ulong deviceStart = device.Address.Value;
            ulong deviceLast = unchecked(deviceStart + device.ExposedSize - 1);
            ulong last = unchecked(start + size - 1);
            if (deviceStart <= last && start <= deviceLast)
            {
                if (hint is not null)
                {
                    throw new QemuOptionException($"address range conflicts with memory device id='{device.Id ?? "(unnamed)"}'");
                }
                ulong next = X86MemoryLayout.AlignUp(unchecked(deviceLast + 1), align);
                if (next == 0 || !TryRange(next, size, out _))
                {
                    empty = true;
                    break;
                }
                start = next;
            }
            else if (deviceStart > last)
            {
                break;
            }
        }
        if (empty || start < Base || unchecked(start + size - 1) > regionLast)
        {
            throw new QemuOptionException("could not find position in guest address space for memory device - memory fragmented due to alignments");
        }
        return new GuestAddress(start);
    }

    // range_init: [lob, lob + size - 1], refused when lob + size wraps.
    private static bool TryRange(ulong lob, ulong size, out ulong last)
    {
        last = unchecked(lob + size - 1);
        return unchecked(lob + size) >= lob;
    }

    /// <summary>Adds a realized device, keeping the list sorted by address; callers serialize adds (the plug lock).</summary>
    public void Add(MemoryDevice device)
    {
        MemoryDevice[] devices = _devices;
        int index = Array.FindIndex(devices, d => d.Address.Value > device.Address.Value);
        index = index < 0 ? devices.Length : index;
        Volatile.Write(ref _devices, [.. devices[..index], device, .. devices[index..]]);
    }
}
