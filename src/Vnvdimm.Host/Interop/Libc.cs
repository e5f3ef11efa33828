using System.Runtime.InteropServices;

namespace Vnvdimm.Host.Interop;

/// <summary>
/// Direct libc bindings, C names kept verbatim so the man pages apply. Constants are the
/// x86_64 Linux values; vnvdimm targets only that platform.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSYS = 38;
    public const int ENXIO = 6;
    public const int EOPNOTSUPP = 95;

    /// <summary>The errno of the last call made with SetLastError = true on this thread.</summary>
    public static int Errno => Marshal.GetLastPInvokeError();

    // glibc returns a pointer to a constant table entry (or a per-thread buffer for unknown
    // values since 2.32), so copying it out immediately is safe.
    [LibraryImport(Library)]
    private static partial byte* strerror(int errnum);

    /// <summary>The text QEMU appends after ": " for an errno (strerror wording).</summary>
    public static string StrError(int errnum) =>
        Marshal.PtrToStringUTF8((nint)strerror(errnum)) ?? $"Unknown error {errnum}";
}
