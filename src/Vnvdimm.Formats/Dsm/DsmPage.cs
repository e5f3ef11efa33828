namespace Vnvdimm.Formats.Dsm;

/// <summary>
/// The 4 KiB DSM page QEMU's NVDIMM _DSM mailbox shares with the guest (research/qemu-nvdimm.md
/// §4.3): the AML writes a request into it and traps to the host by writing its address to I/O
/// port 0x0A18; the host overwrites it with the reply. All fields are little-endian.
/// </summary>
/// <remarks>
/// <code>
/// request (HDLE REVS FUNC FARG)         reply (RLEN ODAT)
/// +0x000  u32 handle                    +0x000  u32 reply length, this field included
/// +0x004  u32 revision (_DSM Arg1)      +0x004  u32 status, or a function-0 mask
/// +0x008  u32 function (_DSM Arg2)      +0x008  payload (reply length − 8 bytes)
/// +0x00C  Arg3 payload, 4084 bytes
/// </code>
/// </remarks>
public static class DsmPage
{
    public const int Size = 4096;

    public const int HandleOffset = 0;
    public const int RevisionOffset = HandleOffset + sizeof(uint);
    public const int FunctionOffset = RevisionOffset + sizeof(uint);
    public const int ArgumentsOffset = FunctionOffset + sizeof(uint);
    /// <summary>FARG: 4084 bytes.</summary>
    public const int ArgumentsLength = Size - ArgumentsOffset;

    public const int LengthOffset = 0;
    /// <summary>ODAT, what the guest's _DSM returns: bytes [4, reply length).</summary>
    public const int OutputOffset = LengthOffset + sizeof(uint);
    public const int OutputLength = Size - OutputOffset;
    /// <summary>Every QEMU reply starts its output with a u32 status (or function-0 mask).</summary>
    public const int StatusOffset = OutputOffset;
    public const int PayloadOffset = StatusOffset + sizeof(uint);
    /// <summary>4088: the most a reply can carry after its length and status.</summary>
    public const int MaxPayloadLength = Size - PayloadOffset;
}
