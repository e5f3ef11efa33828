using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vnvdimm.Tests.Guest;

/// <summary>
/// ndctl JSON in a form that ignores enumeration order: object members sorted by name, arrays
/// sorted by their elements' canonical text.
/// </summary>
internal static class NdctlJsonCanonical
{
    public static string Canonical(string json)
    {
        JsonNode root = JsonNode.Parse(json) ?? throw new InvalidOperationException("empty JSON");
        var text = new StringBuilder();
        Write(root, text);
        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case JsonObject obj:
                text.Append('{');
                foreach (KeyValuePair<string, JsonNode?> member in obj.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    text.Append(JsonSerializer.Serialize(member.Key)).Append(':');
                    Write(member.Value, text);
                    text.Append(',');
                }
                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                foreach (string element in array.Select(e => { var t = new StringBuilder(); Write(e, t); return t.ToString(); }).Order(StringComparer.Ordinal))
                {
                    text.Append(element).Append(',');
                }
                text.Append(']');
                break;
            default:
                text.Append(node?.ToJsonString() ?? "null");
                break;
        }
    }
}
