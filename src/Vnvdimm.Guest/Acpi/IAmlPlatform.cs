using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// What OperationRegion accesses reach: the machine's port I/O space and guest-physical memory. Every
/// SystemIO access is one call of the field's access width; SystemMemory fields that cover whole
/// access units may arrive as one call for the whole field (memory reads have no side effects).
/// </summary>
public interface IAmlPlatform
{
    /// <summary>Reads <paramref name="width"/> bytes (1, 2 or 4) from an I/O port.</summary>
    uint ReadPort(ushort port, int width);

    /// <summary>Writes the low <paramref name="width"/> bytes (1, 2 or 4) of <paramref name="value"/> to an I/O port.</summary>
    void WritePort(ushort port, int width, uint value);

    /// <summary>Reads guest-physical memory; false if any byte is not mapped.</summary>
    bool TryReadMemory(GuestAddress address, Span<byte> destination);

    /// <summary>Writes guest-physical memory; false if any byte is not mapped.</summary>
    bool TryWriteMemory(GuestAddress address, ReadOnlySpan<byte> source);
}
