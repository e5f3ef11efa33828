using System.Globalization;
using System.Text;
using System.Text.Json;
using Vnvdimm.Host.Backends;

namespace Vnvdimm.Host.Monitor.Qmp;

/// <summary>
/// JSON in and out the way QEMU 7.2's QMP does it. Input is parsed with JsonDocument; output is
/// written by hand because QEMU's qobject_to_json has its own spacing (", " and ": "), prints
/// dict members in QDict hash order and escapes every non-ASCII character, none of which
/// Utf8JsonWriter can be told to do.
/// </summary>
internal static class QmpJson
{
    // QEMU's streamer allows nesting up to 1024 levels.
    private const int MaxDepth = 1024;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = MaxDepth + 1 };

    /// <summary>Parses one complete JSON value; errors in QEMU's words.</summary>
    public static object? Parse(ReadOnlyMemory<byte> text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(WithDoubleQuotes(text), ParseOptions);
            return FromElement(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new QmpException(DescribeParseError(text.Span, e));
        }
    }

    // QEMU's lexer also takes 'single-quoted' strings and the \' escape; JsonDocument takes neither,
    // so they are rewritten as standard JSON strings first.
    private static ReadOnlyMemory<byte> WithDoubleQuotes(ReadOnlyMemory<byte> text)
    {
        ReadOnlySpan<byte> input = text.Span;
        if (input.IndexOf((byte)'\'') < 0)
        {
            return text;
        }
        var output = new List<byte>(input.Length + 8);
        byte quote = 0;
        for (int i = 0; i < input.Length; i++)
        {
            byte b = input[i];
            if (quote == 0)
            {
                quote = b is (byte)'"' or (byte)'\'' ? b : (byte)0;
                output.Add(b == '\'' ? (byte)'"' : b);
                continue;
            }
            if (b == '\\' && i + 1 < input.Length)
            {
                byte next = input[++i];
                if (next == '\'')
                {
                    output.Add(next);
                }
                else
                {
                    output.Add(b);
                    output.Add(next);
                }
                continue;
            }
            if (b == quote)
            {
                output.Add((byte)'"');
                quote = 0;
                continue;
            }
            if (b == '"')
            {
                output.Add((byte)'\\');
            }
            output.Add(b);
        }
        return output.ToArray();
    }

    // The nearest of json-parser.c's messages; JsonDocument's own texts are not QEMU's.
    private static string DescribeParseError(ReadOnlySpan<byte> text, JsonException e)
    {
        string message = e.Message;
        if (message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return "JSON nesting depth limit exceeded";
        }
        int position = (int)Math.Min(e.BytePositionInLine ?? 0, text.Length);
        int start = position;
        while (start < text.Length && (char.IsAsciiLetter((char)text[start]) || text[start] == (byte)'_'))
        {
            start++;
        }
        if (start > position)
        {
            string keyword = Encoding.UTF8.GetString(text[position..start]);
            return $"JSON parse error, invalid keyword '{keyword}'";
        }
        if (message.Contains("':'", StringComparison.Ordinal) || message.Contains("colon", StringComparison.OrdinalIgnoreCase))
        {
            return "JSON parse error, missing : in object pair";
        }
        return "JSON parse error, expecting value";
    }

    public static object? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = new QmpDict();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (dict.TryGet(property.Name, out _))
                    {
                        // json-parser.c refuses a repeated member name.
                        throw new QmpException("JSON parse error, duplicate key");
                    }
                    dict.Add(property.Name, FromElement(property.Value));
                }
                return dict;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(FromElement).ToList();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long signed))
                {
                    return signed;
                }
                if (element.TryGetUInt64(out ulong unsigned))
                {
                    return unsigned;
                }
                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>qobject_to_json (not pretty).</summary>
    public static string Serialize(object? value)
    {
        var text = new StringBuilder();
        Write(text, value);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case QmpDict dict:
                text.Append('{');
                var members = dict.Members.ToDictionary(m => m.Key, m => m.Value);
                bool first = true;
                foreach (string key in QDictOrder.Order(dict.Members.Select(m => m.Key).ToList()))
                {
                    text.Append(first ? "" : ", ");
                    first = false;
                    WriteString(text, key);
                    text.Append(": ");
                    Write(text, members[key]);
                }
                text.Append('}');
                break;
            case System.Collections.IEnumerable list and not string:
                text.Append('[');
                bool firstItem = true;
                foreach (object? item in list)
                {
                    text.Append(firstItem ? "" : ", ");
                    firstItem = false;
                    Write(text, item);
                }
                text.Append(']');
                break;
            case string s:
                WriteString(text, s);
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case double d:
                text.Append(d.ToString("G17", CultureInfo.InvariantCulture));
                break;
            case IFormattable number:
                text.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException($"not a QObject: {value.GetType()}", nameof(value));
        }
    }

    // to_json's string escapes: the short forms, then \uXXXX for controls and all non-ASCII.
    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20 || c >= 0x7f)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        text.Append('"');
    }
}
