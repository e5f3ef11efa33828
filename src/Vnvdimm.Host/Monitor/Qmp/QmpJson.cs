using System.Globalization;
using System.Text;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Monitor.Qmp;

/// <summary>
/// JSON out the way QEMU 7.2's QMP writes it (input is <see cref="QemuJsonStreamer"/>'s): by hand
/// because qobject_to_json has its own spacing (", " and ": "), prints dict members in QDict hash
/// order, escapes every non-ASCII character and prints doubles with "%.17g", none of which
/// Utf8JsonWriter can be told to do.
/// </summary>
internal static class QmpJson
{
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
            case QemuJsonObject dict:
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
                text.Append(FormatDouble(d));
                break;
            case IFormattable number:
                text.Append(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException($"not a QObject: {value.GetType()}", nameof(value));
        }
    }

    /// <summary>C's "%.17g" as glibc prints it (qnum_to_string): "inf", "-0", "1e+29" style exponents.</summary>
    public static string FormatDouble(double value) =>
        double.IsNaN(value) ? (double.IsNegative(value) ? "-nan" : "nan")
        : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf")
        : value.ToString("g17", CultureInfo.InvariantCulture);

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
