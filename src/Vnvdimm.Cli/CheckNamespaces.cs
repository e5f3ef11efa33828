using Microsoft.Win32.SafeHandles;
using Vnvdimm.Host.Check;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Cli;

/// <summary>
/// Lists the namespaces of a backend's existing label set for `vnvdimm check`, through the same
/// region scan `ndctl list` uses, over the backend opened read-only.
/// </summary>
public static class CheckNamespaces
{
    public static IReadOnlyList<CheckedNamespace> Read(string path, int slot, ulong pmemSize, byte[] labelArea)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        using (handle)
        {
            var image = new ReadOnlyBackend(handle, labelArea, pmemSize);
            var dimm = new NdctlDimm("nmem0", image) { Identity = NdctlDimmIdentity.QemuSlot(slot) };
            NdctlRegion region = RegionScanner.Scan(0, dimm);
            return [.. region.Namespaces.Where(n => n.IsActive).Select(n => new CheckedNamespace(
                n.Device, n.Mode.ToString().ToLowerInvariant(), n.Size, n.PersonalityUuid ?? n.RawUuid, n.Name))];
        }
    }

    // The label area as already read, and the pmem in front of it; every write is refused.
    private sealed class ReadOnlyBackend(SafeFileHandle handle, byte[] labelArea, ulong pmemSize) : ILabelStore, IDimmMedia
    {
        public int Size => labelArea.Length;

        ulong IDimmMedia.Size => pmemSize;

        public void Read(int offset, Span<byte> destination) => labelArea.AsSpan(offset, destination.Length).CopyTo(destination);

        public void Read(ulong dpa, Span<byte> destination)
        {
            destination.Clear();
            if (dpa < pmemSize && (ulong)destination.Length <= pmemSize - dpa && dpa <= long.MaxValue)
            {
                RandomAccess.Read(handle, destination, (long)dpa);
            }
        }

        public void Write(int offset, ReadOnlySpan<byte> source) => throw new InvalidOperationException("vnvdimm check never writes a backend");

        public void Write(ulong dpa, ReadOnlySpan<byte> source) => throw new InvalidOperationException("vnvdimm check never writes a backend");
    }
}
