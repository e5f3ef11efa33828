using System.Buffers.Binary;

namespace Vnvdimm.Platform.Memory;

/// <summary>All-or-error access and little-endian scalars over <see cref="IGuestMemory"/>.</summary>
public static class GuestMemoryExtensions
{
    public static void ReadExactly(this IGuestMemory memory, GuestAddress address, Span<byte> destination)
    {
        if (!memory.TryRead(address, destination))
        {
            throw new GuestMemoryException(address, (ulong)destination.Length);
        }
    }

    public static void WriteAll(this IGuestMemory memory, GuestAddress address, ReadOnlySpan<byte> source)
    {
        if (!memory.TryWrite(address, source))
        {
            throw new GuestMemoryException(address, (ulong)source.Length);
        }
    }

    public static uint ReadUInt32LittleEndian(this IGuestMemory memory, GuestAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        memory.ReadExactly(address, bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public static void WriteUInt32LittleEndian(this IGuestMemory memory, GuestAddress address, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        memory.WriteAll(address, bytes);
    }
}
