using Vnvdimm.Guest.Nd;
using Vnvdimm.Ndctl;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest.Console;

/// <summary>A pmem region's media as the pmem driver maps it: guest-physical memory from the region's SPA base (DPA 0 there).</summary>
internal sealed class GuestRegionMedia(IGuestMemory memory, NdRegion region) : IDimmMedia
{
    public ulong Size => region.Size;

    public void Read(ulong dpa, Span<byte> destination)
    {
        if (dpa > Size || (ulong)destination.Length > Size - dpa)
        {
            throw new IOException($"{region.Name}: read beyond the region at DPA 0x{dpa:x}");
        }
        if (!memory.TryRead(new GuestAddress(region.Start + dpa), destination))
        {
            // Nothing decodes the range (a test platform without the backend): a PC bus reads all-ones.
            destination.Fill(0xff);
        }
    }

    public void Write(ulong dpa, ReadOnlySpan<byte> source)
    {
        if (region.IsReadOnly)
        {
            throw new IOException($"{region.Name}: region is read-only");
        }
        if (dpa > Size || (ulong)source.Length > Size - dpa || !memory.TryWrite(new GuestAddress(region.Start + dpa), source))
        {
            throw new IOException($"{region.Name}: write beyond the region at DPA 0x{dpa:x}");
        }
    }
}
