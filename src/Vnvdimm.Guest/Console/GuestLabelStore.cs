using Vnvdimm.Guest.Nd;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Guest.Console;

/// <summary>
/// A guest DIMM's label area as ndctl reaches it through the kernel: Get Config Size once, then Get
/// and Set Config Data in max-transfer chunks (the NFIT driver's _DSM 4/5/6 or _LSI/_LSR/_LSW).
/// A DIMM without the commands has an empty area.
/// </summary>
internal sealed class GuestLabelStore : ILabelStore
{
    private readonly Nvdimm _dimm;
    private readonly int _maxTransfer;

    public GuestLabelStore(Nvdimm dimm)
    {
        _dimm = dimm;
        if (dimm.GetConfigSize(out NdConfigSize size) == 0 && size.Status == 0 && size.MaxTransfer > 0)
        {
            Size = (int)Math.Min(size.ConfigSize, int.MaxValue);
            _maxTransfer = (int)Math.Min(size.MaxTransfer, int.MaxValue);
        }
    }

    public int Size { get; }

    public void Read(int offset, Span<byte> destination)
    {
        for (int done = 0; done < destination.Length; done += _maxTransfer)
        {
            Span<byte> chunk = destination.Slice(done, Math.Min(_maxTransfer, destination.Length - done));
            Check(_dimm.GetConfigData((uint)(offset + done), chunk), "read");
        }
    }

    public void Write(int offset, ReadOnlySpan<byte> source)
    {
        for (int done = 0; done < source.Length; done += _maxTransfer)
        {
            ReadOnlySpan<byte> chunk = source.Slice(done, Math.Min(_maxTransfer, source.Length - done));
            Check(_dimm.SetConfigData((uint)(offset + done), chunk), "write");
        }
    }

    private void Check(int rc, string action)
    {
        if (rc != 0)
        {
            throw new IOException($"{_dimm.Name}: failed to {action} config data: {rc}");
        }
    }
}
