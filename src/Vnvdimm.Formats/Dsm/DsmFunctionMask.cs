namespace Vnvdimm.Formats.Dsm;

/// <summary>The function-0 replies: bit n set means function n is supported; bit 0 means "any besides 0".</summary>
public static class DsmFunctionMask
{
    /// <summary>The root device (handle 0) supports nothing besides function 0.</summary>
    public const uint Root = 0;

    /// <summary>0x71: an NVDIMM with a label area supports functions 4, 5 and 6.</summary>
    public const uint NvdimmWithLabels =
        1u | (1u << (int)NvdimmDeviceFunction.GetNamespaceLabelSize)
        | (1u << (int)NvdimmDeviceFunction.GetNamespaceLabelData)
        | (1u << (int)NvdimmDeviceFunction.SetNamespaceLabelData);

    /// <summary>A missing or label-less NVDIMM: nothing (never status 2 for function 0).</summary>
    public const uint NvdimmWithoutLabels = 0;

    /// <summary>0x3: the QEMU-private root supports Read FIT.</summary>
    public const uint QemuPrivate = 1u | (1u << (int)QemuPrivateFunction.ReadFit);
}
