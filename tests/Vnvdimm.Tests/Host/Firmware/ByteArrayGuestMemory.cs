using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Firmware;

/// <summary>Guest RAM [<see cref="Base"/>, +length) backed by one array; enough for the firmware in tests.</summary>
internal sealed class ByteArrayGuestMemory(ulong baseAddress, int length) : IGuestMemory
{
    public ulong Base { get; } = baseAddress;

    public byte[] Bytes { get; } = new byte[length];

    public bool TryRead(GuestAddress address, Span<byte> destination)
    {
        if (!TryLocate(address, destination.Length, out int offset))
        {
            return false;
        }
        Bytes.AsSpan(offset, destination.Length).CopyTo(destination);
        return true;
    }

    public bool TryWrite(GuestAddress address, ReadOnlySpan<byte> source)
    {
        if (!TryLocate(address, source.Length, out int offset))
        {
            return false;
        }
        source.CopyTo(Bytes.AsSpan(offset));
        return true;
    }

    private bool TryLocate(GuestAddress address, int count, out int offset)
    {
        offset = 0;
        if (address.Value < Base || address.Value - Base > (ulong)Bytes.Length || (ulong)Bytes.Length - (address.Value - Base) < (ulong)count)
        {
            return false;
        }
        offset = (int)(address.Value - Base);
        return true;
    }
}
