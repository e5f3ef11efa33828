using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vnvdimm.Ndctl;

/// <summary>Hole punching in an image file: .NET has no API for fallocate(FALLOC_FL_PUNCH_HOLE).</summary>
internal static partial class FileHoles
{
    private const int FALLOC_FL_KEEP_SIZE = 0x1;
    private const int FALLOC_FL_PUNCH_HOLE = 0x2;

    /// <summary>Deallocates [offset, +length) so it reads as zeros; false when the file system cannot.</summary>
    public static bool TryPunch(SafeFileHandle handle, long offset, long length)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return fallocate((int)handle.DangerousGetHandle(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length) == 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fallocate(int fd, int mode, long offset, long len);
}
