namespace Vnvdimm.Formats.Dsm;

/// <summary>The u32 handle of a DSM request: which device the call is for.</summary>
public static class DsmHandle
{
    /// <summary>The NVDIMM root device NVDR.</summary>
    public const uint Root = 0;

    /// <summary>QEMU-private methods of the root device (Read FIT).</summary>
    public const uint QemuPrivateRoot = 0x1_0000;

    /// <summary>An NVDIMM's handle: its slot plus one (also its NFIT device handle).</summary>
    public static uint FromSlot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, (int)QemuPrivateRoot - 1);
        return (uint)slot + 1;
    }

    /// <summary>The slot an NVDIMM handle (1–0xFFFF) names; false for the root handles and anything larger.</summary>
    public static bool TryGetSlot(uint handle, out int slot)
    {
        bool isDevice = handle - 1 < QemuPrivateRoot - 1;
        slot = isDevice ? (int)(handle - 1) : -1;
        return isDevice;
    }
}
