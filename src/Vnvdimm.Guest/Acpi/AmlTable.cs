using System.Buffers.Binary;
using System.Text;

namespace Vnvdimm.Guest.Acpi;

/// <summary>A loaded definition block: its bytes (header included, so offsets match the table) and identity.</summary>
internal sealed class AmlTable
{
    public const int HeaderSize = 36;

    private AmlTable(byte[] data, string signature, byte revision, string oemTableId)
    {
        Data = data;
        Signature = signature;
        Revision = revision;
        OemTableId = oemTableId;
    }

    public byte[] Data { get; }

    public string Signature { get; }

    public byte Revision { get; }

    public string OemTableId { get; }

    public string Describe() => $"{Signature} '{OemTableId}'";

    /// <summary>Checks the header as ACPICA does before loading (signature, length, checksum) and copies the bytes.</summary>
    public static AmlTable Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize)
        {
            throw new AmlException($"AE_BAD_HEADER: a definition block needs a {HeaderSize}-byte header, got {bytes.Length} bytes");
        }
        string signature = Encoding.ASCII.GetString(bytes[..4]);
        if (signature is not ("DSDT" or "SSDT" or "PSDT"))
        {
            throw new AmlException($"AE_BAD_SIGNATURE: '{Printable(signature)}' is not a definition block (DSDT, SSDT or PSDT)");
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (length < HeaderSize || length != (uint)bytes.Length)
        {
            throw new AmlException($"AE_INVALID_TABLE_LENGTH: {signature} header says 0x{length:X} bytes but 0x{bytes.Length:X} were given");
        }
        byte sum = 0;
        foreach (byte b in bytes)
        {
            sum += b;
        }
        if (sum != 0)
        {
            byte stored = bytes[9];
            throw new AmlException($"AE_BAD_CHECKSUM: {signature} checksum is 0x{stored:X2}, should be 0x{(byte)(stored - sum):X2}");
        }
        string oemTableId = Printable(Encoding.ASCII.GetString(bytes.Slice(16, 8)).TrimEnd('\0', ' '));
        return new AmlTable(bytes.ToArray(), signature, bytes[8], oemTableId);
    }

    private static string Printable(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and < (char)0x7F ? c : '?'));
}
