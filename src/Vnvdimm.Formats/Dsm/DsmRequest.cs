using System.Buffers.Binary;

namespace Vnvdimm.Formats.Dsm;

/// <summary>
/// A DSM request as read from a (copied) DSM page: handle, revision, function and the 4084-byte
/// Arg3 area. Parsing never fails on content: every bit pattern is a request the host must answer.
/// </summary>
public readonly ref struct DsmRequest
{
    /// <summary>The only DSM revision QEMU implements (DSM spec revision 1).</summary>
    public const uint Revision1 = 1;

    private DsmRequest(uint handle, uint revision, uint function, ReadOnlySpan<byte> arguments)
    {
        Handle = handle;
        Revision = revision;
        Function = function;
        Arguments = arguments;
    }

    public uint Handle { get; }

    public uint Revision { get; }

    public uint Function { get; }

    /// <summary>FARG: the whole Arg3 area (its unused tail is whatever the page held).</summary>
    public ReadOnlySpan<byte> Arguments { get; }

    /// <summary>Reads the request header of <paramref name="page"/>; false only when it is shorter than a DSM page.</summary>
    /// <remarks>The result aliases <paramref name="page"/>: pass a private copy, never guest memory.</remarks>
    public static bool TryRead(ReadOnlySpan<byte> page, out DsmRequest request)
    {
        if (page.Length < DsmPage.Size)
        {
            request = default;
            return false;
        }
        request = new DsmRequest(
            BinaryPrimitives.ReadUInt32LittleEndian(page[DsmPage.HandleOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(page[DsmPage.RevisionOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(page[DsmPage.FunctionOffset..]),
            page.Slice(DsmPage.ArgumentsOffset, DsmPage.ArgumentsLength));
        return true;
    }

    /// <summary>
    /// Writes a request as the AML's NCAL does: header, then <paramref name="arguments"/> at the
    /// start of FARG. The rest of FARG is left as it was.
    /// </summary>
    /// <exception cref="ArgumentException">The page is shorter than 4096 bytes or the arguments longer than 4084.</exception>
    public static void Write(Span<byte> page, uint handle, uint revision, uint function, ReadOnlySpan<byte> arguments)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page.Length, DsmPage.Size, nameof(page));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(arguments.Length, DsmPage.ArgumentsLength, nameof(arguments));
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.HandleOffset..], handle);
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.RevisionOffset..], revision);
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.FunctionOffset..], function);
        arguments.CopyTo(page[DsmPage.ArgumentsOffset..]);
    }
}
