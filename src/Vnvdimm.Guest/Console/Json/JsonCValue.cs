using System.Text;

namespace Vnvdimm.Guest.Console.Json;

/// <summary>
/// A json-c value as ndctl builds them, printed as json_object_to_json_string_ext(JSON_C_TO_STRING_PRETTY)
/// prints: two-space indents, <c>"key":value</c> without spaces, each member and element on its own line.
/// Numbers may carry ndctl's custom serializers (size strings, hex strings) for <c>-u</c>.
/// </summary>
public abstract class JsonCValue
{
    public string ToJsonString()
    {
        var text = new StringBuilder();
        Write(text, 0);
        return text.ToString();
    }

    internal abstract void Write(StringBuilder text, int level);

    internal static void Indent(StringBuilder text, int level) => text.Append(' ', level * 2);
}
