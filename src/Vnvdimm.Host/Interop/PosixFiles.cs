using Microsoft.Win32.SafeHandles;

namespace Vnvdimm.Host.Interop;

/// <summary>
/// File-system calls whose errno the caller reports in strerror's words (as QEMU and coreutils
/// do); .NET's exceptions lose it (EPERM and EACCES both become UnauthorizedAccessException).
/// </summary>
public static class PosixFiles
{
    /// <summary>mkdir(2) with mode 0777 (less umask); 0 or the errno.</summary>
    public static int MakeDirectory(string path) => Libc.mkdir(path, 0x1FF) == 0 ? 0 : Libc.Errno;

    /// <summary>rmdir(2); 0 or the errno.</summary>
    public static int RemoveDirectory(string path) => Libc.rmdir(path) == 0 ? 0 : Libc.Errno;

    /// <summary>Creates <paramref name="path"/> (which must not exist, mode 0644 less umask) holding <paramref name="contents"/>; 0 or the errno.</summary>
    public static int CreateNewFile(string path, ReadOnlySpan<byte> contents)
    {
        using SafeFdHandle fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0x1A4);
        if (fd.IsInvalid)
        {
            return Libc.Errno;
        }
        try
        {
            using var handle = new SafeFileHandle(fd.DangerousGetHandle(), ownsHandle: false);
            RandomAccess.Write(handle, contents, 0);
            return 0;
        }
        catch (IOException e)
        {
            // A failed write(2) (ENOSPC, EIO, EFBIG): .NET keeps the errno in HResult.
            int errno = ErrnoOf(e);
            Libc.unlink(path);
            return errno;
        }
    }

    /// <summary>strerror(3) of <paramref name="errno"/>.</summary>
    public static string StrError(int errno) => Libc.StrError(errno);

    /// <summary>
    /// The errno behind a .NET file-system exception, as far as it can be told: FileNotFound and
    /// DirectoryNotFound are ENOENT, UnauthorizedAccess is EACCES (or EPERM), PathTooLong is
    /// ENAMETOOLONG, other IOExceptions from a failed call carry the errno in HResult; 0 if unknown.
    /// </summary>
    public static int ErrnoOf(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Libc.ENOENT,
        UnauthorizedAccessException => Libc.EACCES,
        PathTooLongException => ENAMETOOLONG,
        IOException { HResult: > 0 and < 4096 } io => io.HResult,
        _ => 0,
    };

    private const int ENAMETOOLONG = 36;
}
