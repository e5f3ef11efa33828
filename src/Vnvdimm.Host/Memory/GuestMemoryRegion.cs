using Vnvdimm.Host.Backends;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Memory;

/// <summary>
/// One contiguous guest-physical range, [<see cref="Base"/>, <see cref="Base"/> + <see cref="Length"/>),
/// backed by [<see cref="BackendOffset"/>, <see cref="BackendOffset"/> + <see cref="Length"/>) of
/// <see cref="Backend"/>: RAM below or above 4 GiB, or the exposed part of a DIMM's backend.
/// </summary>
/// <remarks>The address space checks a region when it is added; it does not own the backend.</remarks>
public sealed record GuestMemoryRegion(GuestAddress Base, ulong Length, MemoryBackend Backend, ulong BackendOffset, string Name)
{
    /// <summary>The last byte (inclusive): a region may end exactly at 2^64, where an exclusive end would wrap.</summary>
    public GuestAddress Last => new(unchecked(Base.Value + (Length - 1)));

    public override string ToString() => $"'{Name}' [{Base}, +0x{Length:x})";
}
