namespace Vnvdimm.Ndctl;

/// <summary>
/// ndctl's JSON for one object, for a caller that nests it in output of its own (the guest's
/// <c>ndctl list</c> walks buses and regions itself and prints namespaces with this).
/// </summary>
public static class NdctlJson
{
    /// <summary>
    /// util_namespace_to_json as json-c prints it at nesting level 0; <paramref name="extra"/>
    /// members (numa_node, target_node with -v) follow ndctl's own.
    /// </summary>
    public static string Namespace(NdctlNamespace ns, bool human, bool verbose, IReadOnlyList<KeyValuePair<string, long>>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        JsonC.Object json = NdctlList.NamespaceJson(ns, human, verbose);
        foreach (KeyValuePair<string, long> member in extra ?? [])
        {
            json.Add(member.Key, member.Value);
        }
        return JsonC.ToPrettyString(json);
    }

    /// <summary>ndctl's number for a size: plain, or display_size's text with -u.</summary>
    public static string Size(ulong value, bool human) =>
        human ? JsonC.HumanSize(value).Token : value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>ndctl's number for an id or offset: plain, or display_hex's text with -u.</summary>
    public static string Hex(ulong value, bool human) =>
        human ? JsonC.Hex(value).Token : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
