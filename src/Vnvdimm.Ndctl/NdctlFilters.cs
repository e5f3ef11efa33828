using System.Globalization;

namespace Vnvdimm.Ndctl;

/// <summary>ndctl's util/filter.c matching rules for --bus, --region, --dimm, --namespace.</summary>
internal static class NdctlFilters
{
    /// <summary>
    /// util_bus/region/dimm_filter: "all", a number (the whole identifier, read as strtoul with base
    /// 0 reads it) compared with the id, or a device name; space-separated identifiers each count.
    /// </summary>
    public static bool Matches(string? ident, int id, params string[] names)
    {
        if (ident is null)
        {
            return true;
        }
        bool numeric = OptionParser.TryParseUnsigned(ident, out uint number);
        foreach (string token in ident.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "all" || (numeric && number == id) || (!numeric && names.Contains(token)))
            {
                return true;
            }
        }
        return false;
    }

    public static bool Bus(NdctlListBus bus, string? ident) => Matches(ident, bus.Id, bus.Provider, bus.Device);

    public static bool Region(NdctlListRegion region, string? ident) => Matches(ident, region.Id, region.Device);

    public static bool Dimm(NdctlListDimm dimm, string? ident) => Matches(ident, dimm.Id, dimm.Device);

    /// <summary>util_namespace_filter: "all", the device name, or "R.N".</summary>
    public static bool Namespace(string device, string? ident)
    {
        if (ident is null)
        {
            return true;
        }
        foreach (string token in ident.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "all" || token == device)
            {
                return true;
            }
            string[] parts = token.Split('.');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long regionId)
                && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long nsId)
                && device == string.Create(CultureInfo.InvariantCulture, $"namespace{regionId}.{nsId}"))
            {
                return true;
            }
        }
        return false;
    }

    public static bool Maps(NdctlListRegion region, NdctlListDimm dimm) => region.Mappings.Any(m => m.Dimm.Device == dimm.Device);

    public static bool RegionHasDimm(NdctlListRegion region, string? ident) =>
        ident is null || ident == "all" || region.Mappings.Any(m => Dimm(m.Dimm, ident));

    public static bool DimmInRegion(NdctlListBus bus, NdctlListDimm dimm, string? ident) =>
        ident is null || ident == "all" || bus.Regions.Any(r => Region(r, ident) && Maps(r, dimm));

    public static bool DimmOnNode(NdctlListBus bus, NdctlListDimm dimm, int? node) =>
        node is null || bus.Regions.Any(r => r.NumaNode == node && Maps(r, dimm));

    /// <summary>util_nsmode: the modes --mode accepts, or null.</summary>
    public static NamespaceMode? ParseMode(string mode) => mode.ToLowerInvariant() switch
    {
        "memory" or "fsdax" => NamespaceMode.Fsdax,
        "sector" or "safe" => NamespaceMode.Sector,
        "dax" or "devdax" => NamespaceMode.Devdax,
        "raw" => NamespaceMode.Raw,
        _ => null,
    };
}
