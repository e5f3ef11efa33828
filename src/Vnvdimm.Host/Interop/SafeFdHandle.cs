using System.Runtime.InteropServices;

namespace Vnvdimm.Host.Interop;

/// <summary>Owns one file descriptor; closes it exactly once.</summary>
internal sealed class SafeFdHandle : SafeHandle
{
    public SafeFdHandle() : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    // The C functions return a 32-bit int in a 64-bit register whose upper half is not
    // sign-extended, so only the low 32 bits are meaningful (-1 arrives as 0xffffffff).
    public override bool IsInvalid => Fd < 0;

    public int Fd => unchecked((int)handle);

    protected override bool ReleaseHandle() => Libc.close(Fd) == 0;
}
