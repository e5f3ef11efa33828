using System.Runtime.InteropServices;

namespace Vnvdimm.Host.Interop;

internal static unsafe partial class Libc
{
    public const int PROT_NONE = 0x0;
    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;

    public const int MAP_SHARED = 0x1;
    public const int MAP_PRIVATE = 0x2;
    public const int MAP_SHARED_VALIDATE = 0x3;
    public const int MAP_FIXED = 0x10;
    public const int MAP_ANONYMOUS = 0x20;
    public const int MAP_NORESERVE = 0x4000;
    public const int MAP_POPULATE = 0x8000;
    public const int MAP_SYNC = 0x80000;

    public static readonly nint MAP_FAILED = -1;

    public const int MS_ASYNC = 0x1;
    public const int MS_INVALIDATE = 0x2;
    public const int MS_SYNC = 0x4;

    public const int MADV_REMOVE = 9;
    public const int MADV_DONTFORK = 10;
    public const int MADV_MERGEABLE = 12;
    public const int MADV_UNMERGEABLE = 13;
    public const int MADV_HUGEPAGE = 14;
    public const int MADV_DONTDUMP = 16;
    public const int MADV_DODUMP = 17;
    public const int MADV_POPULATE_READ = 22;
    public const int MADV_POPULATE_WRITE = 23;

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint mmap(nint addr, nuint length, int prot, int flags, SafeFdHandle fd, long offset);

    /// <summary>mmap for anonymous memory, where the fd argument must be -1.</summary>
    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint mmap_anonymous(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int munmap(nint addr, nuint length);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int msync(nint addr, nuint length, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int madvise(nint addr, nuint length, int advice);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int mincore(nint addr, nuint length, byte* vec);
}
