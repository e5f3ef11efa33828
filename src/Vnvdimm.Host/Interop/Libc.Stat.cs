using System.Runtime.InteropServices;

namespace Vnvdimm.Host.Interop;

internal static partial class Libc
{
    public const uint S_IFMT = 0xF000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFREG = 0x8000;

    public const long HUGETLBFS_MAGIC = 0x958458f6;
    public const long TMPFS_MAGIC = 0x01021994;

    /// <summary>struct stat as laid out by glibc on x86_64 (144 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Stat
    {
        public ulong st_dev;
        public ulong st_ino;
        public ulong st_nlink;
        public uint st_mode;
        public uint st_uid;
        public uint st_gid;
        private readonly int _pad0;
        public ulong st_rdev;
        public long st_size;
        public long st_blksize;
        public long st_blocks;
        public long st_atime;
        public long st_atime_nsec;
        public long st_mtime;
        public long st_mtime_nsec;
        public long st_ctime;
        public long st_ctime_nsec;
        private readonly long _reserved0;
        private readonly long _reserved1;
        private readonly long _reserved2;
    }

    /// <summary>struct statfs as laid out by glibc on x86_64 (120 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct StatFs
    {
        public long f_type;
        public long f_bsize;
        public ulong f_blocks;
        public ulong f_bfree;
        public ulong f_bavail;
        public ulong f_files;
        public ulong f_ffree;
        public ulong f_fsid;
        public long f_namelen;
        public long f_frsize;
        public long f_flags;
        private readonly long _spare0;
        private readonly long _spare1;
        private readonly long _spare2;
        private readonly long _spare3;
    }

    // fstat is a real export since glibc 2.33 (Debian 12 ships 2.36).
    [LibraryImport(Library, SetLastError = true)]
    public static partial int fstat(SafeFdHandle fd, out Stat buf);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fstatfs(SafeFdHandle fd, out StatFs buf);

    /// <summary>glibc's gnu_dev_major.</summary>
    public static uint Major(ulong dev) => (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));

    /// <summary>glibc's gnu_dev_minor.</summary>
    public static uint Minor(ulong dev) => (uint)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
}
