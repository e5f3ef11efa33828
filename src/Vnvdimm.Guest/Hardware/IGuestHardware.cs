using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest.Hardware;

/// <summary>
/// Everything the built-in guest can touch, and nothing of the host behind it: guest-physical
/// memory, x86 port I/O and the ACPI GPE0 status register with its SCI.
/// </summary>
public interface IGuestHardware
{
    IGuestMemory Memory { get; }

    /// <summary>IN of 1, 2 or 4 bytes.</summary>
    uint ReadPort(ushort port, int size);

    /// <summary>OUT of the low 1, 2 or 4 bytes of <paramref name="value"/>.</summary>
    void WritePort(ushort port, int size, uint value);

    /// <summary>GPE0_STS: bit n is GPE n.</summary>
    ulong Gpe0Status { get; }

    /// <summary>Write-1-to-clear of GPE0_STS.</summary>
    void ClearGpe0Status(ulong mask);

    /// <summary>The SCI: raised, on the hardware's thread, whenever a GPE status bit is set.</summary>
    event Action? Sci;
}
