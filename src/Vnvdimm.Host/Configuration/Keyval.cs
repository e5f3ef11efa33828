namespace Vnvdimm.Host.Configuration;

/// <summary>
/// QEMU 7.2's keyval syntax (util/keyval.c), used by -machine: "key=value" elements whose keys
/// are QAPI names joined by dots (nested dicts); only the first element may omit "key=" (the
/// implied key), and its value ends at the first comma without escaping; other values take ",,"
/// for a comma. Errors are worded as keyval_parse words them.
/// </summary>
internal static class Keyval
{
    private const int MaxKeyFragment = 127;

    /// <summary>keyval_parse_into: parses <paramref name="text"/> into <paramref name="dict"/>.</summary>
    public static void ParseInto(QemuDict dict, string text, string? impliedKey) => ParseInto(dict, text, impliedKey, out _, helpAllowed: false);

    /// <summary>
    /// keyval_parse_into with a help flag: a bare "help" or "?" element (anywhere, even first)
    /// sets <paramref name="help"/> instead of being a key or the implied value.
    /// </summary>
    public static void ParseInto(QemuDict dict, string text, string? impliedKey, out bool help, bool helpAllowed = true)
    {
        help = false;
        int position = 0;
        while (position < text.Length)
        {
            int length = 0;
            while (position + length < text.Length && text[position + length] is not ('=' or ','))
            {
                length++;
            }
            bool bare = position + length >= text.Length || text[position + length] == ',';
            if (helpAllowed && bare && OptionHelp.IsHelpOption(text.Substring(position, length)))
            {
                help = true;
                position = Math.Min(text.Length, position + length + 1);
            }
            else
            {
                position = ParseOne(dict, text, position, impliedKey);
            }
            impliedKey = null;
        }
    }

    private static int ParseOne(QemuDict dict, string text, int start, string? impliedKey)
    {
        int length = 0;
        while (start + length < text.Length && text[start + length] is not ('=' or ','))
        {
            length++;
        }
        string key = text[start..];
        int keyLength = length;
        int? impliedValueEnd = null;
        if (length > 0 && (start + length >= text.Length || text[start + length] != '='))
        {
            if (impliedKey is not null)
            {
                key = impliedKey;
                impliedValueEnd = start + length;
                keyLength = impliedKey.Length;
            }
        }

        // Walk the dotted fragments: each is a QAPI name. The dict for a fragment is made only
        // once the next fragment has been checked, as keyval_parse_one does.
        QemuDict current = dict;
        int s = 0;
        string fragment = string.Empty;
        while (true)
        {
            int fragmentLength = QapiNameLength(key, s);
            if (fragmentLength <= 0 || (s + fragmentLength < keyLength && key[s + fragmentLength] != '.'))
            {
                throw new QemuOptionException($"Invalid parameter '{key[..keyLength]}'");
            }
            if (fragmentLength > MaxKeyFragment)
            {
                string kind = s != 0 || s + fragmentLength != keyLength ? " fragment" : string.Empty;
                throw new QemuOptionException($"Parameter{kind} '{key.Substring(s, fragmentLength)}' is too long");
            }
            if (s != 0)
            {
                current = PutDict(current, fragment, key[..(s - 1)]);
            }
            fragment = key.Substring(s, fragmentLength);
            s += fragmentLength;
            if (s >= keyLength || key[s] != '.')
            {
                break;
            }
            s++;
        }

        string value;
        int next;
        if (impliedValueEnd is int valueEnd)
        {
            value = text[start..valueEnd];
            next = valueEnd < text.Length && text[valueEnd] == ',' ? valueEnd + 1 : valueEnd;
        }
        else
        {
            if (s >= key.Length || key[s] != '=')
            {
                throw new QemuOptionException($"Expected '=' after parameter '{key[..s]}'");
            }
            int p = start + s + 1;
            var builder = new System.Text.StringBuilder();
            while (p < text.Length)
            {
                if (text[p] == ',')
                {
                    p++;
                    if (p >= text.Length || text[p] != ',')
                    {
                        break;
                    }
                }
                builder.Append(text[p++]);
            }
            value = builder.ToString();
            next = p;
        }
        object? old = current.Get(fragment);
        if (old is QemuDict)
        {
            throw new QemuOptionException($"Parameters '{key[..keyLength]}.*' used inconsistently");
        }
        current.Put(fragment, value);
        return next;
    }

    // keyval_parse_put for an intermediate fragment: reuse or create the nested dict.
    private static QemuDict PutDict(QemuDict current, string fragment, string keySoFar)
    {
        object? old = current.Get(fragment);
        if (old is QemuDict existing)
        {
            return existing;
        }
        if (old is not null)
        {
            throw new QemuOptionException($"Parameters '{keySoFar}.*' used inconsistently");
        }
        var created = new QemuDict();
        current.Put(fragment, created);
        return created;
    }

    /// <summary>parse_qapi_name(str, false): letters, digits, '-' and '_', starting with a letter (or a __RFQDN_ prefix).</summary>
    public static int QapiNameLength(string text, int start)
    {
        int p = start;
        if (p < text.Length && text[p] == '_')
        {
            p++;
            if (p >= text.Length || text[p] != '_')
            {
                return -1;
            }
            p++;
            while (p < text.Length && (char.IsAsciiLetterOrDigit(text[p]) || text[p] is '-' or '.'))
            {
                p++;
            }
            if (p >= text.Length || text[p] != '_')
            {
                return -1;
            }
            p++;
        }
        if (p >= text.Length || !char.IsAsciiLetter(text[p]))
        {
            return -1;
        }
        p++;
        while (p < text.Length && (char.IsAsciiLetterOrDigit(text[p]) || text[p] is '-' or '_'))
        {
            p++;
        }
        return p - start;
    }
}
