using System.Text;

namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// A decoded NameString (ACPI 6.5 §20.2.2): root or parent prefixes, then 0..n NameSegs, each held as
/// its four bytes in a little-endian uint.
/// </summary>
internal sealed class AmlNamePath
{
    public AmlNamePath(bool isRoot, int parentPrefixes, uint[] segments)
    {
        IsRoot = isRoot;
        ParentPrefixes = parentPrefixes;
        Segments = segments;
    }

    public bool IsRoot { get; }

    public int ParentPrefixes { get; }

    public uint[] Segments { get; }

    /// <summary>A bare NameSeg: the namespace search rules (current scope, then each parent) apply.</summary>
    public bool IsSingleRelative => !IsRoot && ParentPrefixes == 0 && Segments.Length == 1;

    public uint LastSegment => Segments[^1];

    public override string ToString()
    {
        var text = new StringBuilder();
        if (IsRoot)
        {
            text.Append('\\');
        }
        text.Append('^', ParentPrefixes);
        text.AppendJoin('.', Segments.Select(SegmentToString));
        return text.ToString();
    }

    /// <summary>Parses a path given by a caller: <c>\_SB.NVDR.NV00._LSR</c>; segments shorter than 4 are padded with '_'.</summary>
    public static AmlNamePath ParseUserPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int index = 0;
        bool isRoot = false;
        int prefixes = 0;
        if (path.StartsWith('\\'))
        {
            isRoot = true;
            index = 1;
        }
        while (index < path.Length && path[index] == '^')
        {
            prefixes++;
            index++;
        }
        string rest = path[index..];
        if (rest.Length == 0)
        {
            return new AmlNamePath(isRoot, prefixes, []);
        }
        string[] parts = rest.Split('.');
        var segments = new uint[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            segments[i] = MakeSegment(parts[i]) ?? throw new ArgumentException($"'{path}' is not an ACPI path (bad segment '{parts[i]}')", nameof(path));
        }
        return new AmlNamePath(isRoot, prefixes, segments);
    }

    /// <summary>A NameSeg from 1-4 name characters, padded with '_'; null if the text is not a valid NameSeg.</summary>
    public static uint? MakeSegment(string text)
    {
        if (text.Length is < 1 or > 4)
        {
            return null;
        }
        uint segment = 0;
        for (int i = 0; i < 4; i++)
        {
            char c = i < text.Length ? char.ToUpperInvariant(text[i]) : '_';
            if (!IsNameChar((byte)c, lead: i == 0) || c > 0x7F)
            {
                return null;
            }
            segment |= (uint)c << (8 * i);
        }
        return segment;
    }

    public static bool IsNameChar(byte c, bool lead) =>
        c is >= (byte)'A' and <= (byte)'Z' or (byte)'_' || (!lead && c is >= (byte)'0' and <= (byte)'9');

    public static string SegmentToString(uint segment) =>
        string.Create(4, segment, static (span, s) =>
        {
            for (int i = 0; i < 4; i++)
            {
                span[i] = (char)(byte)(s >> (8 * i));
            }
        });

    /// <summary>The segment as paths show it: trailing '_' padding removed (<c>_SB_</c> → <c>_SB</c>).</summary>
    public static string SegmentToDisplay(uint segment)
    {
        string text = SegmentToString(segment);
        string trimmed = text.TrimEnd('_');
        return trimmed.Length == 0 ? "_" : trimmed;
    }
}
