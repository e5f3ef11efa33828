namespace Vnvdimm.Host.Dsm;

/// <summary>
/// Where the _DSM mailbox gets the FIT (the NFIT structures without the table header) that the
/// QEMU-private Read FIT function serves.
/// </summary>
/// <remarks>
/// The mailbox reads <see cref="CurrentFit"/> when it is created and on every
/// <see cref="NvdimmDsmMailbox.MarkFitDirty"/>, i.e. right after an NVDIMM is plugged and is
/// already in the machine's device list. It copies the bytes, so the source may reuse its buffer.
/// A source must reflect the new device at that moment: compute from the machine's current
/// NVDIMMs, or rebuild in a plug handler subscribed before the mailbox's.
/// </remarks>
public interface IFitSource
{
    ReadOnlyMemory<byte> CurrentFit { get; }
}
