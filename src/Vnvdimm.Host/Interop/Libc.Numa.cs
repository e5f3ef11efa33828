using System.Runtime.InteropServices;

namespace Vnvdimm.Host.Interop;

internal static unsafe partial class Libc
{
    public const int MPOL_DEFAULT = 0;
    public const int MPOL_PREFERRED = 1;
    public const int MPOL_BIND = 2;
    public const int MPOL_INTERLEAVE = 3;

    public const uint MPOL_MF_STRICT = 0x1;
    public const uint MPOL_MF_MOVE = 0x2;

    private const long SYS_mbind = 237;

    // glibc has no mbind wrapper (libnuma does); syscall is variadic, but on x86_64 its integer
    // arguments use the fixed-argument registers, so this fixed-arity binding is call-compatible.
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall_mbind(long number, nint addr, nuint len, int mode, ulong* nodemask, nuint maxnode, uint flags);

    public static int mbind(nint addr, nuint len, int mode, ReadOnlySpan<ulong> nodemask, nuint maxnode, uint flags)
    {
        fixed (ulong* mask = nodemask)
        {
            return (int)syscall_mbind(SYS_mbind, addr, len, mode, mask, maxnode, flags);
        }
    }
}
