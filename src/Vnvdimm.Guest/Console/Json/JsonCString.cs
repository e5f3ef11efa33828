using System.Text;

namespace Vnvdimm.Guest.Console.Json;

/// <summary>A json-c string, escaped as json-c escapes (including "/" as "\/").</summary>
public sealed class JsonCString(string value) : JsonCValue
{
    public string Value { get; } = value;

    internal override void Write(StringBuilder text, int level)
    {
        text.Append('"');
        Escape(text, Value);
        text.Append('"');
    }

    internal static void Escape(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            switch (c)
            {
                case '\b': text.Append("\\b"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\f': text.Append("\\f"); break;
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '/': text.Append("\\/"); break;
                default:
                    if (c < ' ')
                    {
                        text.Append($"\\u{(int)c:x4}");
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
    }
}
