using System.Globalization;
using System.Text;
using Vnvdimm.Formats.InfoBlocks;

namespace Vnvdimm.Ndctl;

/// <summary>
/// ndctl 76 `list` (ndctl/list.c, ndctl/json.c, research §3.4) over the regions <see cref="RegionScanner"/>
/// builds, one per DIMM: -D dimms, -R regions (with nested namespaces and, with -D, mappings), -N
/// namespaces (the default), -i idle objects, -u human-readable numbers, -v raw_uuid; filters -r,
/// -d, -n, -m. Several object classes print as {"dimms":…,"regions":…,"namespaces":…}; one class as
/// an array, or as a lone object when -u leaves just one.
/// </summary>
internal static class NdctlList
{
    private const int UsageExit = 129;

    private static readonly NdctlOptions.Spec[] Options =
    [
        new('b', "bus", true), new('r', "region", true), new('d', "dimm", true), new('n', "namespace", true),
        new('m', "mode", true), new('t', "type", true), new('B', "buses", false), new('D', "dimms", false),
        new('R', "regions", false), new('N', "namespaces", false), new('i', "idle", false), new('u', "human", false),
        new('v', "verbose", false),
    ];

    public static int Run(IReadOnlyList<string> args, IReadOnlyList<NdctlDimm> dimms, NdctlIo io)
    {
        NdctlOptions? options = NdctlOptions.TryParse(args, Options, out string? error);
        if (options is null || options.Arguments.Count > 0)
        {
            foreach (string extra in options?.Arguments ?? [])
            {
                io.Error.WriteLine($"Error: unknown parameter \"{extra}\"");
            }
            if (error is not null)
            {
                io.Error.WriteLine($"  Error: {error}");
            }
            io.Error.WriteLine("\n usage: ndctl list [<options>]\n");
            return UsageExit;
        }
        string? mode = options.Value("mode");
        if (mode is not null && ParseMode(mode) is null)
        {
            io.Error.WriteLine($"invalid mode: '{mode}'");
            return 1;
        }
        bool human = options.Has("human");
        bool idle = options.Has("idle");
        bool verbose = options.Has("verbose");
        bool listDimms = options.Has("dimms");
        bool listRegions = options.Has("regions");
        bool listNamespaces = options.Has("namespaces");
        if (!listDimms && !listRegions && !listNamespaces && !options.Has("buses"))
        {
            listRegions = options.Has("region");
            listDimms = options.Has("dimm");
            listNamespaces = !listRegions && !listDimms;
        }

        List<object>? jdimms = null;
        List<object>? jregions = null;
        List<object>? jnamespaces = null;
        string? dimmFilter = options.Value("dimm");
        foreach (NdctlDimm dimm in dimms)
        {
            if (listDimms && Matches(dimm.Name, "nmem", dimmFilter))
            {
                (jdimms ??= []).Add(DimmJson(dimm, human));
            }
        }
        int regionId = 0;
        foreach (NdctlDimm dimm in dimms.Where(d => d.Media is not null))
        {
            NdctlRegion region = RegionScanner.Scan(dimm.RegionId ?? regionId, dimm);
            regionId++;
            if (!Matches(region.Device, "region", options.Value("region")) || !Matches(dimm.Name, "nmem", dimmFilter))
            {
                continue;
            }
            List<object>? namespaces = null;
            if (listNamespaces)
            {
                foreach (NdctlNamespace ns in region.IsEnabled ? Order(region.Namespaces) : [])
                {
                    if (!Matches(ns.Device, "namespace", options.Value("namespace"))
                        || (mode is not null && ParseMode(mode) != ns.Mode) || (!idle && !ns.IsActive))
                    {
                        continue;
                    }
                    (namespaces ??= []).Add(NamespaceJson(ns, human, verbose));
                }
            }
            if (!listRegions)
            {
                if (namespaces is not null)
                {
                    (jnamespaces ??= []).AddRange(namespaces);
                }
                continue;
            }
            if (!idle && !region.IsEnabled)
            {
                continue;
            }
            (jregions ??= []).Add(RegionJson(region, human, listDimms, namespaces));
        }

        string text;
        if ((jdimms is null ? 0 : 1) + (jregions is null ? 0 : 1) + (jnamespaces is null ? 0 : 1) > 1)
        {
            var platform = new JsonC.Object();
            if (jdimms is not null)
            {
                platform.Add("dimms", jdimms);
            }
            if (jregions is not null)
            {
                platform.Add("regions", jregions);
            }
            if (jnamespaces is not null)
            {
                platform.Add("namespaces", jnamespaces);
            }
            text = JsonC.ToPrettyString(platform);
        }
        else if ((jdimms ?? jregions ?? jnamespaces) is { } array)
        {
            // util_display_json_array: a lone object is unwrapped only in human mode.
            text = JsonC.ToPrettyString(array.Count == 1 && human ? array[0] : array);
        }
        else
        {
            return 0;
        }
        io.Output.Write(Encoding.UTF8.GetBytes(text + "\n"));
        io.Output.Flush();
        return 0;
    }

    /// <summary>ndctl walks a region's namespaces newest device first (namespaceX.2, .1, .0 in the lab output).</summary>
    private static IEnumerable<NdctlNamespace> Order(IReadOnlyList<NdctlNamespace> namespaces) => namespaces.Reverse();

    private static NamespaceMode? ParseMode(string mode) => mode.ToLowerInvariant() switch
    {
        "fsdax" or "memory" => NamespaceMode.Fsdax,
        "devdax" or "dax" => NamespaceMode.Devdax,
        "sector" or "safe" => NamespaceMode.Sector,
        "raw" => NamespaceMode.Raw,
        _ => null,
    };

    /// <summary>util_*_filter: "all", the device name, or its bare number.</summary>
    private static bool Matches(string device, string prefix, string? filter) =>
        filter is null || filter == "all" || filter == device || prefix + filter == device;

    private static object Hex(ulong value, bool human) => human ? JsonC.Hex(value) : Number(value);

    private static object Size(ulong value, bool human) => human ? JsonC.HumanSize(value) : Number(value);

    private static JsonC.Raw Number(ulong value) => new(value.ToString(CultureInfo.InvariantCulture));

    private static JsonC.Object DimmJson(NdctlDimm dimm, bool human)
    {
        var json = new JsonC.Object
        {
            { "dev", dimm.Name },
            { "id", dimm.Identity.Id ?? dimm.Identity.UniqueId },
            { "handle", Hex(dimm.Identity.Handle, human) },
            { "phys_id", Hex(dimm.Identity.PhysId, human) },
        };
        foreach (string flag in dimm.Identity.Flags)
        {
            json.Add(flag, new JsonC.Raw("true"));
        }
        return json;
    }

    private static JsonC.Object RegionJson(NdctlRegion region, bool human, bool mappings, List<object>? namespaces)
    {
        var json = new JsonC.Object
        {
            { "dev", region.Device },
            { "size", Size(region.Size, human) },
            { "align", Size(region.Align, human) },
            { "available_size", Size(region.AvailableSize, human) },
            { "max_available_extent", Size(region.MaxAvailableExtent, human) },
            { "type", "pmem" },
        };
        if (region.InterleaveSetCookie is ulong cookie)
        {
            json.Add("iset_id", Hex(cookie, human));
        }
        if (mappings)
        {
            json.Add("mappings", new List<object>
            {
                new JsonC.Object
                {
                    { "dimm", region.Dimm.Name },
                    { "offset", Hex(region.MappingOffset, human) },
                    { "length", Hex(region.MappingLength, human) },
                    { "position", region.MappingPosition },
                },
            });
        }
        if (!region.IsEnabled)
        {
            json.Add("state", "disabled");
        }
        json.Add("persistence_domain", region.PersistenceDomain);
        if (namespaces is not null)
        {
            json.Add("namespaces", namespaces);
        }
        return json;
    }

    /// <summary>util_namespace_to_json's keys, in its order.</summary>
    public static JsonC.Object NamespaceJson(NdctlNamespace ns, bool human, bool verbose)
    {
        var json = new JsonC.Object
        {
            { "dev", ns.Device },
            { "mode", ns.Mode switch { NamespaceMode.Fsdax => "fsdax", NamespaceMode.Devdax => "devdax", NamespaceMode.Sector => "sector", _ => "raw" } },
        };
        if (ns.Mode is NamespaceMode.Fsdax or NamespaceMode.Devdax)
        {
            json.Add("map", ns.Map switch { PfnMapLocation.Ram => "mem", PfnMapLocation.Pmem => "dev", _ => "none" });
        }
        json.Add("size", Size(ns.Size, human));
        if (ns.PersonalityUuid is Guid personality)
        {
            json.Add("uuid", personality.ToString());
            if (verbose && ns.RawUuid is Guid raw && raw != Guid.Empty)
            {
                json.Add("raw_uuid", raw.ToString());
            }
        }
        else if (ns.RawUuid is Guid raw)
        {
            json.Add("uuid", raw.ToString());
        }
        if (ns.CharDevice is not null)
        {
            json.Add("chardev", ns.CharDevice);
        }
        if (ns.SectorSize is uint sectorSize)
        {
            json.Add("sector_size", (long)sectorSize);
        }
        if (ns.Align != 0)
        {
            json.Add("align", Number(ns.Align));
        }
        if (ns.BlockDevice is not null && ns.IsActive)
        {
            json.Add("blockdev", ns.BlockDevice);
        }
        if (!ns.IsActive)
        {
            json.Add("state", "disabled");
        }
        if (ns.Name.Length > 0)
        {
            json.Add("name", ns.Name);
        }
        return json;
    }
}
