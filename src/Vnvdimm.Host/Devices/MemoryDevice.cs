using Vnvdimm.Host.Backends;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Devices;

/// <summary>
/// A DIMM-family device (pc-dimm, nvdimm): a backend mapped at a guest-physical address in a slot.
/// Slot and address are chosen by the machine at plug time when not given.
/// </summary>
public abstract class MemoryDevice
{
    /// <summary>QEMU's PC_DIMM_UNASSIGNED_SLOT.</summary>
    public const int UnassignedSlot = -1;

    protected MemoryDevice(string? id, MemoryBackend? backend, int slot, ulong address, uint node)
    {
        Id = id;
        Backend = backend;
        Slot = slot;
        Address = new GuestAddress(address);
        Node = node;
    }

    public string? Id { get; }
    public MemoryBackend? Backend { get; }
    public int Slot { get; internal set; }
    public GuestAddress Address { get; internal set; }
    public uint Node { get; }
    public bool Hotplugged { get; internal set; }
    public bool IsRealized { get; internal set; }

    /// <summary>The device's child name in /machine/peripheral (its id) or /machine/peripheral-anon ("device[N]").</summary>
    public string? QomName { get; internal set; }

    /// <summary>The -device driver name ("pc-dimm", "nvdimm").</summary>
    public abstract string Driver { get; }

    /// <summary>The memory-device kind QEMU reports ("dimm", "nvdimm").</summary>
    public abstract string Kind { get; }

    /// <summary>The size the guest sees at <see cref="Address"/> (for an NVDIMM, without its label area).</summary>
    public abstract ulong ExposedSize { get; }

    /// <summary>The alignment of the exposed region: the backend's.</summary>
    public ulong Alignment => Backend?.Alignment ?? 0;

    /// <summary>Checks and computes the exposed region (QEMU's get_memory_region); throws in QEMU's words.</summary>
    internal abstract void PrepareMemoryRegion();
}
