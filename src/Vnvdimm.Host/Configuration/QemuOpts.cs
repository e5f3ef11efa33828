namespace Vnvdimm.Host.Configuration;

/// <summary>
/// One option argument in QEMU's "key=value,key=value" syntax, parsed but not yet typed.
/// Keys keep their order; a repeated key's last value wins, as in QEMU.
/// </summary>
public sealed class QemuOpts
{
    private readonly List<KeyValuePair<string, string>> _pairs;
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    private QemuOpts(string text, List<KeyValuePair<string, string>> pairs)
    {
        Text = text;
        _pairs = pairs;
    }

    /// <summary>The argument as the user wrote it.</summary>
    public string Text { get; }

    public IEnumerable<string> Keys => _pairs.Select(p => p.Key).Distinct(StringComparer.Ordinal);

    /// <summary>How the first element is treated when it has no '='.</summary>
    public enum ParseMode
    {
        /// <summary>QemuOpts (-m, -device, -numa): a bare key is a deprecated short-form boolean.</summary>
        QemuOpts,
        /// <summary>keyval (-machine, HMP object_add): every element after the implied one needs '='.</summary>
        KeyVal,
    }

    /// <summary>
    /// Parses <paramref name="text"/> as QEMU 7.2's opts_parse does. The first element without '='
    /// is the value of <paramref name="impliedKey"/>; any later one is a deprecated short-form
    /// boolean ("key" means key=on, "nokey" key=off), reported through <paramref name="warn"/>.
    /// Keys are not escaped, values are (",," is a comma). Only the first "id=" counts.
    /// </summary>
    public static QemuOpts Parse(string text, string? impliedKey, ParseMode mode = ParseMode.QemuOpts, Action<string>? warn = null)
    {
        if (mode == ParseMode.KeyVal)
        {
            return ParseFlatKeyval(text, impliedKey);
        }
        var pairs = new List<KeyValuePair<string, string>>();
        string? id = null;
        int position = 0;
        // opts_parse_id: a scan without the implied key and without warnings finds the id.
        while (position < text.Length)
        {
            (string name, string value) = NextNameValue(text, ref position, null, null);
            if (name == "id")
            {
                id = value;
                break;
            }
        }
        position = 0;
        string? firstName = impliedKey;
        bool idAdded = false;
        while (position < text.Length)
        {
            (string name, string value) = NextNameValue(text, ref position, firstName, warn);
            firstName = null;
            if (name == "id")
            {
                if (!idAdded)
                {
                    pairs.Add(new("id", id!));
                    idAdded = true;
                }
                continue;
            }
            pairs.Add(new(name, value));
        }
        return new QemuOpts(text, pairs);
    }

    // get_opt_name_value: "name=value" or a bare element, up to an unescaped comma.
    private static (string Name, string Value) NextNameValue(string text, ref int position, string? firstName, Action<string>? warn)
    {
        int length = 0;
        while (position + length < text.Length && text[position + length] is not ('=' or ','))
        {
            length++;
        }
        string name;
        string value;
        if (position + length >= text.Length || text[position + length] != '=')
        {
            if (firstName is not null)
            {
                name = firstName;
                value = ReadValue(text, ref position);
            }
            else
            {
                name = text.Substring(position, length);
                position += length;
                string prefix = string.Empty;
                if (name.StartsWith("no", StringComparison.Ordinal))
                {
                    name = name[2..];
                    value = "off";
                    prefix = "no";
                }
                else
                {
                    value = "on";
                }
                if (warn is not null && !(prefix.Length == 0 && name is "help" or "?"))
                {
                    warn($"warning: short-form boolean option '{prefix}{name}' deprecated\nPlease use {name}={value} instead");
                }
            }
        }
        else
        {
            name = text.Substring(position, length);
            position += length + 1;
            value = ReadValue(text, ref position);
        }
        if (position < text.Length && text[position] == ',')
        {
            position++;
        }
        return (name, value);
    }

    // get_opt_value: up to a single comma; ",," stands for ",".
    private static string ReadValue(string text, ref int position)
    {
        var value = new System.Text.StringBuilder();
        while (position < text.Length)
        {
            char c = text[position];
            if (c == ',')
            {
                if (position + 1 < text.Length && text[position + 1] == ',')
                {
                    value.Append(',');
                    position += 2;
                    continue;
                }
                break;
            }
            value.Append(c);
            position++;
        }
        return value.ToString();
    }

    // keyval (HMP object_add, -machine): QEMU's syntax checks and messages come from Keyval;
    // the elements are then listed in the order written (dotted keys stay whole).
    private static QemuOpts ParseFlatKeyval(string text, string? impliedKey)
    {
        Keyval.ParseInto(new QemuDict(), text, impliedKey);
        var pairs = new List<KeyValuePair<string, string>>();
        int position = 0;
        bool first = true;
        while (position < text.Length)
        {
            int length = 0;
            while (position + length < text.Length && text[position + length] is not ('=' or ','))
            {
                length++;
            }
            bool hasEquals = position + length < text.Length && text[position + length] == '=';
            if (!hasEquals && first && impliedKey is not null && length > 0)
            {
                pairs.Add(new(impliedKey, text.Substring(position, length)));
                position += length;
            }
            else if (!hasEquals)
            {
                throw new QemuOptionException($"Expected '=' after parameter '{text.Substring(position, length)}'");
            }
            else
            {
                string key = text.Substring(position, length);
                position += length + 1;
                pairs.Add(new(key, ReadValue(text, ref position)));
            }
            if (position < text.Length && text[position] == ',')
            {
                position++;
            }
            first = false;
        }
        return new QemuOpts(text, pairs);
    }

    /// <summary>Every element in the order written, repetitions included ("id" once, first value).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Elements => _pairs;

    /// <summary>The id given with "id=" (the first one), or null.</summary>
    public string? Id => _pairs.FirstOrDefault(p => p.Key == "id").Value;

    public bool Has(string key) => _pairs.Any(p => p.Key == key);

    /// <summary>The last value given for <paramref name="key"/>, marking it as used.</summary>
    public string? Get(string key)
    {
        _consumed.Add(key);
        if (key == "id")
        {
            return Id;
        }
        for (int i = _pairs.Count - 1; i >= 0; i--)
        {
            if (_pairs[i].Key == key)
            {
                return _pairs[i].Value;
            }
        }
        return null;
    }

    /// <summary>Keys present that no reader asked for, in the order written.</summary>
    public IEnumerable<string> UnconsumedKeys => Keys.Where(k => !_consumed.Contains(k));

    public bool? GetBool(string key)
    {
        string? value = Get(key);
        return value is null ? null : QemuValue.ParseBool(key, value);
    }

}
