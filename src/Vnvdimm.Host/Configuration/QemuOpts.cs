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
        /// <summary>keyval (-machine, -object in QEMU 7.2): every element after the implied one needs '='.</summary>
        KeyVal,
    }

    /// <summary>Splits <paramref name="text"/>; the first element without '=' is the value of <paramref name="impliedKey"/>.</summary>
    public static QemuOpts Parse(string text, string? impliedKey, ParseMode mode = ParseMode.QemuOpts, Action<string>? warn = null)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        int position = 0;
        bool first = true;
        while (position < text.Length || (first && text.Length == 0 && impliedKey is not null && false))
        {
            string element = ReadElement(text, ref position, out bool hasEquals, out string key);
            if (!hasEquals)
            {
                if (first && impliedKey is not null)
                {
                    pairs.Add(new(impliedKey, element));
                }
                else if (mode == ParseMode.KeyVal)
                {
                    throw new QemuOptionException($"Expected '=' after parameter '{element}'");
                }
                else
                {
                    // QemuOpts: "key" means key=on, "nokey" means key=off (both deprecated).
                    bool negated = element.StartsWith("no", StringComparison.Ordinal);
                    string name = negated ? element[2..] : element;
                    warn?.Invoke($"warning: short-form boolean option '{element}' deprecated\nPlease use {name}={(negated ? "off" : "on")} instead");
                    pairs.Add(new(name, negated ? "off" : "on"));
                }
            }
            else
            {
                pairs.Add(new(key, element));
            }
            first = false;
        }
        return new QemuOpts(text, pairs);
    }

    // Reads "key=value" or "value" up to an unescaped comma; ",," stands for ",".
    private static string ReadElement(string text, ref int position, out bool hasEquals, out string key)
    {
        var value = new System.Text.StringBuilder();
        key = string.Empty;
        hasEquals = false;
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
                position++;
                break;
            }
            if (c == '=' && !hasEquals)
            {
                hasEquals = true;
                key = value.ToString();
                value.Clear();
                position++;
                continue;
            }
            value.Append(c);
            position++;
        }
        return value.ToString();
    }

    public bool Has(string key) => _pairs.Any(p => p.Key == key);

    /// <summary>The last value given for <paramref name="key"/>, marking it as used.</summary>
    public string? Get(string key)
    {
        _consumed.Add(key);
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

    public ulong? GetSize(string key)
    {
        string? value = Get(key);
        return value is null ? null : QemuValue.ParseSize(key, value);
    }

    public ulong? GetNumber(string key)
    {
        string? value = Get(key);
        return value is null ? null : QemuValue.ParseNumber(key, value);
    }
}
