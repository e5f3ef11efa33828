namespace Vnvdimm.Formats.Labels;

/// <summary>How an initialiser leaves the padding bits of a fresh free bitmap beyond nslot (research §2.3).</summary>
public enum IndexBitmapTail
{
    /// <summary>ndctl: 0xFF up to round_up(nslot, 64) bits, the extra bits left set.</summary>
    Ndctl,

    /// <summary>The kernel: the same, then the bits at and above nslot cleared.</summary>
    Kernel,
}
