using Vnvdimm.Host.Dsm;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>A FIT the test sets; the mailbox picks it up on MarkFitDirty.</summary>
internal sealed class TestFitSource(byte[] fit) : IFitSource
{
    private byte[] _fit = fit;

    public byte[] Bytes
    {
        get => Volatile.Read(ref _fit);
        set => Volatile.Write(ref _fit, value);
    }

    public ReadOnlyMemory<byte> CurrentFit => Bytes;
}
