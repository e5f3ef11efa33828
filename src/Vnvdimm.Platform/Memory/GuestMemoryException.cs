namespace Vnvdimm.Platform.Memory;

/// <summary>An access to guest-physical memory that is not entirely mapped.</summary>
public sealed class GuestMemoryException(GuestAddress address, ulong length)
    : Exception($"guest-physical range [{address}, +0x{length:x}) is not mapped")
{
    public GuestAddress Address { get; } = address;
    public ulong Length { get; } = length;
}
