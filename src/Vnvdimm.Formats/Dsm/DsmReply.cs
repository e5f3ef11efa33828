using System.Buffers.Binary;

namespace Vnvdimm.Formats.Dsm;

/// <summary>
/// A DSM reply: u32 length (this field included), u32 status or function-0 mask, payload. The
/// static writers build one in a buffer; <see cref="TryRead"/> is the guest's side.
/// </summary>
public readonly ref struct DsmReply
{
    /// <summary>A reply with status (or mask) only.</summary>
    public const int NoPayloadLength = DsmPage.PayloadOffset;

    private DsmReply(int length, ReadOnlySpan<byte> output)
    {
        Length = length;
        Output = output;
    }

    /// <summary>The reply length field: 8 plus the payload length.</summary>
    public int Length { get; }

    /// <summary>Bytes [4, length): what the guest's _DSM returns.</summary>
    public ReadOnlySpan<byte> Output { get; }

    /// <summary>The status (or function-0 mask): the first u32 of the output.</summary>
    public uint Status => BinaryPrimitives.ReadUInt32LittleEndian(Output);

    /// <summary>Bytes [8, length).</summary>
    public ReadOnlySpan<byte> Payload => Output[sizeof(uint)..];

    /// <summary>The length of a reply carrying <paramref name="payloadLength"/> bytes after the status.</summary>
    public static int LengthFor(int payloadLength) => DsmPage.PayloadOffset + payloadLength;

    /// <summary>Reads the reply in <paramref name="page"/>; false when its length field is below 8 or past the page.</summary>
    public static bool TryRead(ReadOnlySpan<byte> page, out DsmReply reply)
    {
        reply = default;
        if (page.Length < DsmPage.PayloadOffset)
        {
            return false;
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(page[DsmPage.LengthOffset..]);
        if (length < NoPayloadLength || length > (uint)Math.Min(page.Length, DsmPage.Size))
        {
            return false;
        }
        reply = new DsmReply((int)length, page[DsmPage.OutputOffset..(int)length]);
        return true;
    }

    /// <summary>Writes a reply without payload (QEMU's "no payload" or function-0 reply); returns its length, 8.</summary>
    public static int WriteNoPayload(Span<byte> page, uint statusOrMask)
    {
        WriteHeader(page, statusOrMask, 0);
        return NoPayloadLength;
    }

    /// <inheritdoc cref="WriteNoPayload(Span{byte}, uint)"/>
    public static int WriteNoPayload(Span<byte> page, DsmStatus status) => WriteNoPayload(page, (uint)status);

    /// <summary>
    /// Writes the length and status of a reply carrying <paramref name="payloadLength"/> bytes and
    /// returns the payload span for the caller to fill (every byte of it is part of the reply).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The payload exceeds 4088 bytes or the page.</exception>
    public static Span<byte> WriteHeader(Span<byte> page, uint status, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, DsmPage.MaxPayloadLength);
        int length = LengthFor(payloadLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(page.Length, length, nameof(page));
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.LengthOffset..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.StatusOffset..], status);
        return page.Slice(DsmPage.PayloadOffset, payloadLength);
    }
}
