namespace Vnvdimm.Host.Dsm;

/// <summary>A FIT with no structures: what Read FIT serves until an NFIT builder is connected.</summary>
internal sealed class EmptyFitSource : IFitSource
{
    public static readonly EmptyFitSource Instance = new();

    private EmptyFitSource()
    {
    }

    public ReadOnlyMemory<byte> CurrentFit => ReadOnlyMemory<byte>.Empty;
}
