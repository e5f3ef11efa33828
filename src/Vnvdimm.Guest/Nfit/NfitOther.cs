namespace Vnvdimm.Guest.Nfit;

/// <summary>
/// A structure the driver keeps only to compare later FITs with, and to match by key: block data
/// windows, interleave descriptions (key: interleave index), flush hints (key: device handle).
/// </summary>
internal sealed class NfitOther(byte[] raw, uint key)
{
    public byte[] Raw { get; } = raw;

    public uint Key { get; } = key;
}
