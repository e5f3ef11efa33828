using System.Globalization;
using System.Text;

namespace Vnvdimm.Ndctl;

/// <summary>
/// JSON as ndctl prints it through json-c's JSON_C_TO_STRING_PRETTY: two-space indent, no space
/// after ':', keys in insertion order, '/' escaped. Values: string, int, long, <see cref="Raw"/>
/// (a pre-formatted token such as ndctl's human sizes), <see cref="Object"/>, or a list of values.
/// </summary>
internal static class JsonC
{
    /// <summary>An ordered JSON object.</summary>
    internal sealed class Object : List<KeyValuePair<string, object>>
    {
        public void Add(string key, object value) => Add(new KeyValuePair<string, object>(key, value));

        /// <summary>json_object_object_add: an existing key keeps its place and takes the new value.</summary>
        public void Set(string key, object value)
        {
            int index = FindIndex(m => m.Key == key);
            if (index >= 0)
            {
                this[index] = new KeyValuePair<string, object>(key, value);
            }
            else
            {
                Add(key, value);
            }
        }
    }

    /// <summary>A token emitted verbatim (json-c custom serializers).</summary>
    internal sealed record Raw(string Token);

    public static string ToPrettyString(object value)
    {
        var text = new StringBuilder();
        Write(text, value, 0);
        return text.ToString();
    }

    /// <summary>ndctl's display_hex: "%#llx" in quotes ("0" for zero).</summary>
    public static Raw Hex(ulong value) => new(value == 0 ? "\"0\"" : $"\"0x{value:x}\"");

    /// <summary>ndctl's display_size (after mdadm's human_size_brief): bytes below 5000 KiB plain, else "x.yy MiB (x.yy MB)" and up.</summary>
    public static Raw HumanSize(ulong bytes)
    {
        if (bytes < 5000 * 1024)
        {
            return new Raw(bytes.ToString(CultureInfo.InvariantCulture));
        }
        (long binary, long decimalUnits, string b, string d) = bytes < 2UL << 30
            ? (((long)(bytes * 200 / (1UL << 20)) + 1) / 2, ((long)(bytes / (1000000UL / 200)) + 1) / 2, "MiB", "MB")
            : bytes < 2UL << 40
                ? (((long)(bytes * 200 / (1UL << 30)) + 1) / 2, ((long)(bytes / (1000000000UL / 200)) + 1) / 2, "GiB", "GB")
                : (((long)(bytes / (1UL << 40) * 200 + bytes % (1UL << 40) * 200 / (1UL << 40)) + 1) / 2, ((long)(bytes / (1000000000000UL / 200)) + 1) / 2, "TiB", "TB");
        return new Raw(string.Create(CultureInfo.InvariantCulture,
            $"\"{binary / 100}.{binary % 100:00} {b} ({decimalUnits / 100}.{decimalUnits % 100:00} {d})\""));
    }

    private static void Write(StringBuilder text, object value, int level)
    {
        switch (value)
        {
            case string s:
                WriteString(text, s);
                break;
            case int or long or uint:
                text.Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case Raw raw:
                text.Append(raw.Token);
                break;
            case Object obj:
                text.Append('{');
                for (int i = 0; i < obj.Count; i++)
                {
                    text.Append(i == 0 ? "\n" : ",\n");
                    Indent(text, level + 1);
                    WriteString(text, obj[i].Key);
                    text.Append(':');
                    Write(text, obj[i].Value, level + 1);
                }
                text.Append('\n');
                Indent(text, level);
                text.Append('}');
                break;
            case System.Collections.IList list:
                text.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    text.Append(i == 0 ? "\n" : ",\n");
                    Indent(text, level + 1);
                    Write(text, list[i]!, level + 1);
                }
                text.Append('\n');
                Indent(text, level);
                text.Append(']');
                break;
            default:
                throw new ArgumentException($"no JSON form for {value.GetType()}", nameof(value));
        }
    }

    private static void Indent(StringBuilder text, int level) => text.Append(' ', 2 * level);

    private static void WriteString(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (char c in s)
        {
            text.Append(c switch
            {
                '\b' => "\\b",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\f' => "\\f",
                '"' => "\\\"",
                '\\' => "\\\\",
                '/' => "\\/",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        text.Append('"');
    }
}
