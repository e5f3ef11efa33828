using System.Globalization;
using System.Text;
using Vnvdimm.Formats.InfoBlocks;

namespace Vnvdimm.Ndctl;

/// <summary>
/// <c>ndctl list</c> as ndctl 76 runs it (ndctl/list.c, util/filter.c, ndctl/json.c, research §3.4):
/// walk buses, then DIMMs, then regions and their namespaces, in the order the
/// <see cref="NdctlListBus"/> model gives them, and print one JSON value (a platform object when
/// several classes are listed, an array, or a lone object with -u). The live guest fills the model
/// from its Nd layer; an offline image is one bus with one region per DIMM (<see cref="ImageBus"/>).
/// </summary>
internal sealed class NdctlList(IReadOnlyList<NdctlListBus> buses, TextWriter stderr)
{
    public const string Usage = "ndctl list [<options>]";

    private const int UsageExit = 129;

    public static readonly IReadOnlyList<CommandOption> Options =
    [
        new('b', "bus", OptionKind.String, "filter by bus", "bus-id"),
        new('r', "region", OptionKind.String, "filter by region", "region-id"),
        new('d', "dimm", OptionKind.String, "filter by dimm", "dimm-id"),
        new('n', "namespace", OptionKind.String, "filter by namespace id", "namespace-id"),
        new('m', "mode", OptionKind.String, "filter by namespace mode", "namespace-mode"),
        new('t', "type", OptionKind.String, "filter by region-type", "region-type"),
        new('U', "numa-node", OptionKind.String, "filter by numa node", "numa node"),
        new('B', "buses", OptionKind.Boolean, "include bus info"),
        new('D', "dimms", OptionKind.Boolean, "include dimm info"),
        new('F', "firmware", OptionKind.Boolean, "include firmware info"),
        new('H', "health", OptionKind.Boolean, "include dimm health"),
        new('R', "regions", OptionKind.Boolean, "include region info"),
        new('N', "namespaces", OptionKind.Boolean, "include namespace info (default)"),
        new('X', "device-dax", OptionKind.Boolean, "include device-dax info"),
        new('C', "capabilities", OptionKind.Boolean, "include region capability info"),
        new('i', "idle", OptionKind.Boolean, "include idle devices"),
        new('c', "configured", OptionKind.Boolean, "include configured namespaces, disabled or not"),
        new('M', "media-errors", OptionKind.Boolean, "include media errors"),
        new('u', "human", OptionKind.Boolean, "use human friendly number formats "),
        new('v', "verbose", OptionKind.Increment, "increase output detail"),
    ];

    private bool _buses, _dimms, _regions, _namespaces, _idle, _configured, _human, _verbose, _dax, _capabilities;
    private string? _busFilter, _regionFilter, _dimmFilter, _namespaceFilter;
    private NamespaceMode? _mode;
    private bool _blkOnly;
    private int? _numaNode;

    // list_filter_arg.
    private List<object>? _jbuses, _jdimms, _jregions, _jnamespaces;
    private JsonC.Object? _jbus, _jregion;

    /// <summary>What the command printed on stdout.</summary>
    public string Output { get; private set; } = "";

    /// <summary>ndctl list over an offline image's DIMMs.</summary>
    public static int Run(IReadOnlyList<string> args, IReadOnlyList<NdctlDimm> dimms, NdctlIo io)
    {
        var list = new NdctlList([ImageBus(dimms)], io.Error);
        int exit = list.Run(args);
        if (list.Output.Length > 0)
        {
            io.Output.Write(Encoding.UTF8.GetBytes(list.Output));
            io.Output.Flush();
        }
        return exit;
    }

    /// <summary>
    /// An image's DIMMs as one ACPI.NFIT bus: each DIMM with media forms a region
    /// (<see cref="NdctlDimm.RegionId"/>, else numbered in order) scanned as the kernel probes it; its
    /// namespaces are listed in kernfs order, as the guest lists them (<see cref="KernfsOrder"/>).
    /// </summary>
    public static NdctlListBus ImageBus(IReadOnlyList<NdctlDimm> dimms)
    {
        var listed = new List<NdctlListDimm>();
        var regions = new List<NdctlListRegion>();
        int regionId = 0;
        for (int i = 0; i < dimms.Count; i++)
        {
            NdctlDimm dimm = dimms[i];
            var json = new NdctlListDimm(DimmId(dimm.Name, i), dimm.Name, dimm.Identity.Handle, dimm.Identity.PhysId)
            {
                UniqueId = dimm.Identity.Id ?? dimm.Identity.UniqueId,
                Flags = dimm.Identity.Flags,
            };
            listed.Add(json);
            if (dimm.Media is null)
            {
                continue;
            }
            NdctlRegion region = RegionScanner.Scan(dimm.RegionId ?? regionId, dimm);
            regions.Add(new NdctlListRegion(dimm.RegionId ?? regionId, region.Device)
            {
                Size = region.Size,
                Align = region.Align,
                AvailableSize = region.AvailableSize,
                MaxAvailableExtent = region.MaxAvailableExtent,
                InterleaveSetCookie = region.InterleaveSetCookie,
                IsEnabled = region.IsEnabled,
                PersistenceDomain = region.PersistenceDomain,
                Mappings = [new NdctlListMapping(json, region.MappingOffset, region.MappingLength, region.MappingPosition)],
                Namespaces = region.IsEnabled ? KernfsOrder.Sort(region.Namespaces, n => n.Device) : [],
            });
            regionId++;
        }
        return new NdctlListBus(0, "ACPI.NFIT", "ndbus0") { Dimms = listed, Regions = regions };
    }

    private static int DimmId(string name, int index) =>
        name.StartsWith("nmem", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : index;

    public int Run(IReadOnlyList<string> args)
    {
        ParsedOptions? parsed = OptionParser.Parse(args, Options, Usage, stderr);
        if (parsed is null)
        {
            return UsageExit;
        }
        if (parsed.Arguments.Count > 0)
        {
            foreach (string argument in parsed.Arguments)
            {
                stderr.Write($"  Error: unknown parameter \"{argument}\"\n\n");
            }
            OptionParser.PrintUsage(Usage, stderr);
            return UsageExit;
        }
        if (!Configure(parsed))
        {
            return 1;
        }
        Walk();
        Display();
        return 0;
    }

    private bool Configure(ParsedOptions parsed)
    {
        _buses = parsed.IsSet("buses");
        _dimms = parsed.IsSet("dimms");
        _regions = parsed.IsSet("regions");
        _namespaces = parsed.IsSet("namespaces");
        _idle = parsed.IsSet("idle");
        _configured = parsed.IsSet("configured");
        _human = parsed.IsSet("human");
        _busFilter = parsed.Value("bus");
        _regionFilter = parsed.Value("region");
        _dimmFilter = parsed.Value("dimm");
        _namespaceFilter = parsed.Value("namespace");
        string? mode = parsed.Value("mode");
        bool dax = parsed.IsSet("device-dax");
        _dax = dax;
        _capabilities = parsed.IsSet("capabilities");
        if (!_buses && !_dimms && !_regions && !_namespaces)
        {
            _buses = _busFilter is not null;
            _regions = _regionFilter is not null;
            _dimms = _dimmFilter is not null;
            if (dax && mode is null)
            {
                mode = "dax";
            }
        }
        int verbose = parsed.Count("verbose");
        // -v: media errors, namespaces, dax; -vv adds DIMMs, buses, regions; -vvv idle and the rest.
        if (verbose >= 3)
        {
            _idle = true;
        }
        if (verbose >= 2)
        {
            _dimms = _buses = _regions = true;
        }
        if (verbose >= 1)
        {
            _namespaces = true;
        }
        _verbose = verbose > 0;
        if (!_buses && !_dimms && !_regions && !_namespaces)
        {
            _namespaces = true;
        }

        string? type = parsed.Value("type");
        if (type is not null && type is not ("pmem" or "blk"))
        {
            stderr.Write($"  Error: unknown type \"{type}\" must be \"pmem\" or \"blk\"\n\n");
            return false;
        }
        // Every region here is a pmem region.
        _blkOnly = type == "blk";
        if (mode is not null)
        {
            _mode = NdctlFilters.ParseMode(mode);
            if (_mode is null)
            {
                stderr.Write($"  Error: invalid mode: '{mode}'\n\n");
                return false;
            }
        }
        string? node = parsed.Value("numa-node");
        if (node is not null && node != "all")
        {
            if (!int.TryParse(node, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                stderr.Write($"  Error: invalid numa_node: '{node}'\n\n");
                return false;
            }
            _numaNode = value;
        }
        return true;
    }

    private bool AnyNamespace(NdctlListRegion region) =>
        _namespaceFilter is null or "all" || region.Namespaces.Any(n => NdctlFilters.Namespace(n.Device, _namespaceFilter));

    // util_filter_walk with list's callbacks.
    private void Walk()
    {
        foreach (NdctlListBus bus in buses)
        {
            if (!NdctlFilters.Bus(bus, _busFilter)
                || (_dimmFilter is not null && _dimmFilter != "all" && !bus.Dimms.Any(d => NdctlFilters.Dimm(d, _dimmFilter)))
                || (_regionFilter is not null && _regionFilter != "all" && !bus.Regions.Any(r => NdctlFilters.Region(r, _regionFilter)))
                || (_namespaceFilter is not null && _namespaceFilter != "all" && !bus.Regions.Any(AnyNamespace)))
            {
                continue;
            }
            FilterBus(bus);
            if (_dimms)
            {
                foreach (NdctlListDimm dimm in bus.Dimms)
                {
                    if (NdctlFilters.Dimm(dimm, _dimmFilter) && NdctlFilters.DimmInRegion(bus, dimm, _regionFilter)
                        && DimmInNamespace(bus, dimm) && NdctlFilters.DimmOnNode(bus, dimm, _numaNode))
                    {
                        FilterDimm(dimm);
                    }
                }
            }
            foreach (NdctlListRegion region in bus.Regions)
            {
                if (!NdctlFilters.Region(region, _regionFilter) || !NdctlFilters.RegionHasDimm(region, _dimmFilter)
                    || !AnyNamespace(region)
                    || (_numaNode is { } node && region.NumaNode != node)
                    || _blkOnly)
                {
                    continue;
                }
                if (!FilterRegion(region) || !_namespaces)
                {
                    continue;
                }
                foreach (NdctlNamespace ns in region.Namespaces)
                {
                    if (NdctlFilters.Namespace(ns.Device, _namespaceFilter) && (_mode is null || _mode == ns.Mode)
                        && (_numaNode is null || region.NumaNode == _numaNode))
                    {
                        FilterNamespace(region, ns);
                    }
                }
            }
        }
    }

    private bool DimmInNamespace(NdctlListBus bus, NdctlListDimm dimm) =>
        _namespaceFilter is null or "all" || bus.Regions.Any(r =>
            NdctlFilters.Maps(r, dimm) && r.Namespaces.Any(n => NdctlFilters.Namespace(n.Device, _namespaceFilter)));

    private void FilterBus(NdctlListBus bus)
    {
        if (_jbuses is not null)
        {
            _jdimms = _jregions = _jnamespaces = null;
            _jregion = null;
        }
        if (!_buses)
        {
            return;
        }
        _jbuses ??= [];
        // No scrub_state: the bus has no ARS, so nfit/scrub does not exist.
        _jbus = new JsonC.Object { { "provider", bus.Provider }, { "dev", bus.Device } };
        _jbuses.Add(_jbus);
    }

    private void FilterDimm(NdctlListDimm dimm)
    {
        if (!_configured && !_idle && !dimm.IsEnabled)
        {
            return;
        }
        if (_jdimms is null)
        {
            _jdimms = [];
            _jbus?.Set("dimms", _jdimms);
        }
        _jdimms.Add(DimmJson(dimm));
    }

    private bool FilterRegion(NdctlListRegion region)
    {
        if (!_regions)
        {
            return true;
        }
        if (!_configured && !_idle && !region.IsEnabled)
        {
            return true;
        }
        if (_jregions is null)
        {
            _jregions = [];
            _jbus?.Set("regions", _jregions);
        }
        _jregion = RegionJson(region);
        // Namespaces of the next region start a new array.
        _jnamespaces = null;
        _jregions.Add(_jregion);
        return true;
    }

    private void FilterNamespace(NdctlListRegion region, NdctlNamespace ns)
    {
        if (!ns.IsActive && !_idle && !(_configured && ns.Size > 0))
        {
            return;
        }
        if (_jnamespaces is null)
        {
            _jnamespaces = [];
            (_jregion ?? _jbus)?.Set("namespaces", _jnamespaces);
        }
        JsonC.Object json = NamespaceJson(ns, _human, _verbose,
            _dax ? new DaxRegionOwner(region.Id, region.TargetNode ?? region.NumaNode ?? 0) : null);
        AddNuma(json, region);
        _jnamespaces.Add(json);
    }

    private void AddNuma(JsonC.Object json, NdctlListRegion region)
    {
        if (_verbose && region.NumaNode is int numa)
        {
            json.Add("numa_node", numa);
            json.Add("target_node", region.TargetNode ?? numa);
        }
    }

    private JsonC.Object DimmJson(NdctlListDimm dimm)
    {
        var json = new JsonC.Object { { "dev", dimm.Device } };
        if (dimm.UniqueId is not null)
        {
            json.Add("id", dimm.UniqueId);
        }
        json.Add("handle", Hex(dimm.Handle, _human));
        json.Add("phys_id", Hex(dimm.PhysId, _human));
        if (!dimm.IsEnabled)
        {
            json.Add("state", "disabled");
        }
        foreach (string flag in dimm.Flags)
        {
            json.Add(flag, new JsonC.Raw("true"));
        }
        return json;
    }

    private JsonC.Object RegionJson(NdctlListRegion region)
    {
        var json = new JsonC.Object
        {
            { "dev", region.Device },
            { "size", Size(region.Size, _human) },
            { "align", Size(region.Align, _human) },
            { "available_size", Size(region.AvailableSize, _human) },
            { "max_available_extent", Size(region.MaxAvailableExtent, _human) },
            { "type", "pmem" },
        };
        AddNuma(json, region);
        if (region.InterleaveSetCookie is ulong cookie)
        {
            json.Add("iset_id", Hex(cookie, _human));
        }
        List<object>? mappings = null;
        if (_dimms)
        {
            foreach (NdctlListMapping mapping in region.Mappings)
            {
                if (!NdctlFilters.Dimm(mapping.Dimm, _dimmFilter) || (!_configured && !_idle && !mapping.Dimm.IsEnabled))
                {
                    continue;
                }
                if (mappings is null)
                {
                    mappings = [];
                    json.Add("mappings", mappings);
                }
                var jmapping = new JsonC.Object
                {
                    { "dimm", mapping.Dimm.Device },
                    { "offset", Hex(mapping.Offset, _human) },
                    { "length", Hex(mapping.Length, _human) },
                };
                if (mapping.Position is int position)
                {
                    jmapping.Add("position", position);
                }
                mappings.Add(jmapping);
            }
        }
        if (_capabilities)
        {
            json.Add("capabilities", NdctlDaxJson.Capabilities());
        }
        if (!region.IsEnabled)
        {
            json.Add("state", "disabled");
        }
        json.Add("persistence_domain", region.PersistenceDomain);
        return json;
    }

    // list_display.
    private void Display()
    {
        if (_jbuses is not null)
        {
            DisplayArray(_jbuses);
        }
        else if ((_jdimms is null ? 0 : 1) + (_jregions is null ? 0 : 1) + (_jnamespaces is null ? 0 : 1) > 1)
        {
            var platform = new JsonC.Object();
            if (_jdimms is not null)
            {
                platform.Add("dimms", _jdimms);
            }
            if (_jregions is not null)
            {
                platform.Add("regions", _jregions);
            }
            if (_jnamespaces is not null && _jregions is null)
            {
                platform.Add("namespaces", _jnamespaces);
            }
            Output = JsonC.ToPrettyString(platform) + "\n";
        }
        else if ((_jdimms ?? _jregions ?? _jnamespaces) is { } array)
        {
            DisplayArray(array);
        }
    }

    // util_display_json_array: a lone element prints without the array only with -u.
    private void DisplayArray(List<object> array)
    {
        if (array.Count > 1 || !_human)
        {
            Output = JsonC.ToPrettyString(array) + "\n";
        }
        else if (array.Count == 1)
        {
            Output = JsonC.ToPrettyString(array[0]) + "\n";
        }
    }

    private static object Hex(ulong value, bool human) => human ? JsonC.Hex(value) : Number(value);

    private static object Size(ulong value, bool human) => human ? JsonC.HumanSize(value) : Number(value);

    private static JsonC.Raw Number(ulong value) => new(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The region (id, target node) whose dax region a devdax namespace shows with -X.</summary>
    internal sealed record DaxRegionOwner(int RegionId, int TargetNode);

    /// <summary>
    /// util_namespace_to_json's keys, in its order; with <paramref name="dax"/> (list -X, create of a
    /// devdax namespace) an active devdax namespace shows its "daxregion" instead of "chardev".
    /// </summary>
    public static JsonC.Object NamespaceJson(NdctlNamespace ns, bool human, bool verbose, DaxRegionOwner? dax = null)
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
        if (dax is not null && ns.Mode == NamespaceMode.Devdax && ns.IsActive && ns.CharDevice is not null)
        {
            json.Add("daxregion", NdctlDaxJson.DaxRegion(ns, dax.RegionId, dax.TargetNode, human));
        }
        else if (ns.CharDevice is not null)
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
