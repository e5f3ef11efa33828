using System.Diagnostics.CodeAnalysis;

namespace Vnvdimm.Formats.Aml;

/// <summary>
/// A NameString (ACPI 6.5 §20.2.2) written the way ASL spells it: an optional root prefix
/// <c>\</c> or parent prefixes <c>^</c>, then dot-separated segments of 1 to 4 characters.
/// Short segments are padded with '_' ("LEN" → "LEN_"), two segments use DualNamePrefix,
/// more use MultiNamePrefix. Used both to declare objects and to refer to them.
/// </summary>
public sealed class AmlNameString : AmlObject
{
    private const int SegmentLength = 4;
    private const int MaxSegments = 255;

    private readonly byte[] _encoding;

    /// <summary>Parses <paramref name="path"/>; throws <see cref="ArgumentException"/> naming the fault.</summary>
    public AmlNameString(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!TryEncode(path, out byte[]? encoding, out string? error))
        {
            throw new ArgumentException($"invalid AML name '{path}': {error}", nameof(path));
        }
        Path = path;
        _encoding = encoding;
    }

    private AmlNameString(string path, byte[] encoding)
    {
        Path = path;
        _encoding = encoding;
    }

    /// <summary>NullName (a single 0x00): "no target" for operators that take an optional one.</summary>
    public static AmlNameString Null { get; } = new(string.Empty, [0x00]);

    /// <summary>The name as given, e.g. <c>\_SB.NVDR</c>.</summary>
    public string Path { get; }

    public override int Length => _encoding.Length;

    public override void WriteTo(AmlWriter writer) => writer.WriteBytes(_encoding);

    public override string ToString() => Path;

    /// <summary>Checks <paramref name="path"/> without throwing; for names computed at run time.</summary>
    public static bool TryParse(string path, [NotNullWhen(true)] out AmlNameString? name, out string? error)
    {
        name = null;
        if (!TryEncode(path, out byte[]? encoding, out error))
        {
            return false;
        }
        name = new AmlNameString(path, encoding);
        return true;
    }

    // Scans the path in place (no Split): this runs for every name in a 256-slot SSDT.
    private static bool TryEncode(string path, out byte[] encoding, out string? error)
    {
        encoding = [];
        int prefixLength = 0;
        if (path.StartsWith('\\'))
        {
            prefixLength = 1;
        }
        else
        {
            while (prefixLength < path.Length && path[prefixLength] == '^')
            {
                prefixLength++;
            }
        }

        ReadOnlySpan<char> body = path.AsSpan(prefixLength);
        int segmentCount = body.IsEmpty ? 0 : body.Count('.') + 1;
        if (segmentCount > MaxSegments)
        {
            error = $"more than {MaxSegments} segments";
            return false;
        }
        if (segmentCount == 0 && prefixLength == 0)
        {
            error = "empty name (use AmlNameString.Null for NullName)";
            return false;
        }
        for (ReadOnlySpan<char> rest = body; !rest.IsEmpty;)
        {
            int dot = rest.IndexOf('.');
            ReadOnlySpan<char> segment = dot < 0 ? rest : rest[..dot];
            if (!IsValidSegment(segment, out error))
            {
                return false;
            }
            rest = dot < 0 ? [] : rest[(dot + 1)..];
            if (dot >= 0 && rest.IsEmpty && !IsValidSegment(rest, out error))
            {
                return false;
            }
        }

        int segmentPrefixLength = segmentCount switch { 0 => 1, 1 => 0, 2 => 1, _ => 2 };
        encoding = new byte[prefixLength + segmentPrefixLength + SegmentLength * segmentCount];
        Span<byte> output = encoding;
        for (int i = 0; i < prefixLength; i++)
        {
            output[i] = (byte)path[i];
        }
        output = output[prefixLength..];
        switch (segmentCount)
        {
            case 0:
                // A bare "\" or "^" is followed by NullName.
                output[0] = 0x00;
                break;
            case 1:
                break;
            case 2:
                output[0] = (byte)AmlOpcode.DualNamePrefix;
                break;
            default:
                output[0] = (byte)AmlOpcode.MultiNamePrefix;
                output[1] = (byte)segmentCount;
                break;
        }
        output = output[segmentPrefixLength..];
        for (ReadOnlySpan<char> rest = body; !rest.IsEmpty;)
        {
            int dot = rest.IndexOf('.');
            ReadOnlySpan<char> segment = dot < 0 ? rest : rest[..dot];
            Span<byte> nameSeg = output[..SegmentLength];
            nameSeg.Fill((byte)'_');
            for (int i = 0; i < segment.Length; i++)
            {
                nameSeg[i] = (byte)segment[i];
            }
            output = output[SegmentLength..];
            rest = dot < 0 ? [] : rest[(dot + 1)..];
        }
        error = null;
        return true;
    }

    // NameSeg := LeadNameChar (A-Z or _) followed by up to three of A-Z, 0-9, _.
    private static bool IsValidSegment(ReadOnlySpan<char> segment, out string? error)
    {
        error = null;
        if (segment.Length is 0 or > SegmentLength)
        {
            error = $"segment '{segment.ToString()}' must have 1 to {SegmentLength} characters";
            return false;
        }
        for (int i = 0; i < segment.Length; i++)
        {
            char c = segment[i];
            bool valid = c is (>= 'A' and <= 'Z') or '_' || (i > 0 && c is >= '0' and <= '9');
            if (!valid)
            {
                error = $"segment '{segment.ToString()}' has '{c}' at position {i}; names use A-Z, '_' and (not first) 0-9";
                return false;
            }
        }
        return true;
    }
}
