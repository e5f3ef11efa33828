namespace Vnvdimm.Formats.Dsm;

/// <summary>
/// Functions of the NVDIMM device _DSM (UUID 4309AC30-0D11-11E4-9191-0800200C9A66, revision 1)
/// that QEMU implements; functions 1–3 and 7 and up answer <see cref="DsmStatus.NotSupported"/>.
/// </summary>
public enum NvdimmDeviceFunction : uint
{
    /// <summary>Function 0: the supported-function mask (also the only function of the root device, handle 0).</summary>
    Query = 0,
    GetNamespaceLabelSize = 4,
    GetNamespaceLabelData = 5,
    SetNamespaceLabelData = 6,
}
