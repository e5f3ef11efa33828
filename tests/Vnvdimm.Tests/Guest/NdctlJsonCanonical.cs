using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vnvdimm.Tests.Guest;

/// <summary>
/// ndctl JSON in a form that ignores enumeration order: object members sorted by name, arrays
/// sorted by their elements' canonical text. With <c>renumberRegions</c>, region, namespace and
/// block device numbers are replaced by the DIMMs the region maps, so two listings whose FITs list
/// the same ranges in a different order compare equal.
/// </summary>
internal static partial class NdctlJsonCanonical
{
    public static string Canonical(string json, bool renumberRegions = false)
    {
        JsonNode root = JsonNode.Parse(json) ?? throw new InvalidOperationException("empty JSON");
        if (renumberRegions)
        {
            Renumber(root);
        }
        var text = new StringBuilder();
        Write(root, text);
        return text.ToString();
    }

    private static void Renumber(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj["dev"]?.GetValue<string>() is { } dev && dev.StartsWith("region", StringComparison.Ordinal) && obj["mappings"] is JsonArray mappings:
                string key = "<" + string.Join(",", mappings.Select(m => m!["dimm"]!.GetValue<string>()).Order(StringComparer.Ordinal)) + ">";
                obj["dev"] = "region" + key;
                if (obj["namespaces"] is JsonArray namespaces)
                {
                    foreach (JsonObject ns in namespaces.OfType<JsonObject>())
                    {
                        ns["dev"] = RegionNumber().Replace(ns["dev"]!.GetValue<string>(), m => m.Groups[1].Value + key + m.Groups[2].Value);
                        if (ns["blockdev"] is JsonNode blockdev)
                        {
                            ns["blockdev"] = RegionNumber().Replace(blockdev.GetValue<string>(), m => m.Groups[1].Value + key + m.Groups[2].Value);
                        }
                    }
                }
                break;
            case JsonObject obj:
                foreach (KeyValuePair<string, JsonNode?> member in obj.ToList())
                {
                    Renumber(member.Value);
                }
                break;
            case JsonArray array:
                foreach (JsonNode? element in array)
                {
                    Renumber(element);
                }
                break;
        }
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

    [GeneratedRegex(@"^(namespace|pmem)\d+(.*)$")]
    private static partial Regex RegionNumber();
}
