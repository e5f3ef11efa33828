using System.Runtime.InteropServices;

namespace Vnvdimm.Host.Interop;

internal static unsafe partial class Libc
{
    public const int O_RDONLY = 0x0;
    public const int O_WRONLY = 0x1;
    public const int O_RDWR = 0x2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NONBLOCK = 0x800;
    public const int O_DIRECTORY = 0x10000;
    public const int O_CLOEXEC = 0x80000;
    public const int O_TMPFILE = 0x400000 | O_DIRECTORY;

    public const int F_ADD_SEALS = 1033;
    public const int F_GET_SEALS = 1034;
    public const int F_SEAL_SEAL = 0x1;
    public const int F_SEAL_SHRINK = 0x2;
    public const int F_SEAL_GROW = 0x4;

    public const int FALLOC_FL_KEEP_SIZE = 0x1;
    public const int FALLOC_FL_PUNCH_HOLE = 0x2;

    public const uint MFD_CLOEXEC = 0x1;
    public const uint MFD_ALLOW_SEALING = 0x2;
    public const uint MFD_HUGETLB = 0x4;
    public const int MFD_HUGE_SHIFT = 26;

    // open and fcntl are variadic in C. On x86_64 SysV the variadic integer argument travels in
    // the same register as a fixed one, so a fixed-arity binding is call-compatible.
    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial SafeFdHandle open(string pathname, int flags, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(SafeFdHandle fd, int cmd, int arg);

    [LibraryImport(Library, SetLastError = true)]
    private static partial SafeFdHandle mkostemp(byte* template, int flags);

    /// <summary>Creates and opens a unique file (mode 0600) from a template ending in XXXXXX; <paramref name="path"/> is the name chosen.</summary>
    public static SafeFdHandle mkostemp(string template, int flags, out string path)
    {
        byte[] buffer = System.Text.Encoding.UTF8.GetBytes(template + "\0");
        SafeFdHandle fd;
        fixed (byte* name = buffer)
        {
            // Invariant: buffer is NUL-terminated and mkostemp rewrites only the trailing XXXXXX.
            fd = mkostemp(name, flags);
        }
        path = System.Text.Encoding.UTF8.GetString(buffer, 0, buffer.Length - 1);
        return fd;
    }

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial SafeFdHandle memfd_create(string name, uint flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fallocate(SafeFdHandle fd, int mode, long offset, long len);
}
