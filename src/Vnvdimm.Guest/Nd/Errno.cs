namespace Vnvdimm.Guest.Nd;

/// <summary>The Linux error numbers the NVDIMM stack returns (negated, as kernel functions return them).</summary>
public static class Errno
{
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
}
