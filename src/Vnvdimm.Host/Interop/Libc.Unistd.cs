using System.Runtime.InteropServices;

namespace Vnvdimm.Host.Interop;

internal static partial class Libc
{
    public const int SEEK_END = 2;
    public const int SEEK_DATA = 3;
    public const int SEEK_HOLE = 4;

    public const int W_OK = 2;
    public const int X_OK = 1;

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string pathname, int mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ftruncate(SafeFdHandle fd, long length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial long lseek(SafeFdHandle fd, long offset, int whence);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlink(string pathname);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string pathname, uint mode);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rmdir(string pathname);
}
