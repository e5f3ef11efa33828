namespace Vnvdimm.Platform.Memory;

/// <summary>
/// Guest-physical memory as the guest and devices reach it: reads and writes by address,
/// spanning region boundaries, never past the end of mapped memory.
/// </summary>
public interface IGuestMemory
{
    /// <summary>Copies <paramref name="destination"/>.Length bytes from <paramref name="address"/>; false, with nothing copied, if any byte is unmapped.</summary>
    bool TryRead(GuestAddress address, Span<byte> destination);

    /// <summary>Copies <paramref name="source"/> to <paramref name="address"/>; false, with nothing written, if any byte is unmapped.</summary>
    bool TryWrite(GuestAddress address, ReadOnlySpan<byte> source);
}
