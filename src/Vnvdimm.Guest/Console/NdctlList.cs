using System.Globalization;
using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Guest.Console.Json;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Guest.Console;

/// <summary>
/// <c>ndctl list</c> as ndctl 76 runs it (ndctl/list.c, util/filter.c, ndctl/json.c): walk buses,
/// then DIMMs, then regions and their namespaces, in libndctl's order, and print one JSON value
/// (a platform object when several classes are listed, an array, or a lone object with -u).
/// Namespaces come from Vnvdimm.Ndctl: each pmem region is scanned from its DIMM's labels (read
/// through the firmware interface) and info blocks (read from guest memory) as the offline tool
/// scans an image, and printed with its JSON.
/// </summary>
internal sealed class NdctlList(LinuxGuest guest, TextWriter stdout, TextWriter stderr)
{
    public const string Usage = "ndctl list [<options>]";

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

    private bool _buses, _dimms, _regions, _namespaces, _idle, _configured, _human, _verbose;
    private string? _busFilter, _regionFilter, _dimmFilter, _namespaceFilter;
    private NamespaceMode? _mode;
    private readonly Dictionary<NdRegion, NdctlRegion?> _scanned = [];
    private bool _blkOnly;
    private int? _numaNode;

    // list_filter_arg.
    private JsonCArray? _jbuses, _jdimms, _jregions, _jnamespaces;
    private JsonCObject? _jbus, _jregion;

    public int Run(IReadOnlyList<string> args)
    {
        ParsedOptions? parsed = OptionParser.Parse(args, Options, Usage, stderr);
        if (parsed is null)
        {
            return 129;
        }
        if (parsed.Arguments.Count > 0)
        {
            foreach (string argument in parsed.Arguments)
            {
                stderr.Write($"  Error: unknown parameter \"{argument}\"\n\n");
            }
            OptionParser.PrintUsage(Options, Usage, stderr);
            return 129;
        }
        if (parsed.IsSet("capabilities"))
        {
            stderr.Write("  Error: --capabilities is not supported by the vnvdimm guest\n");
            return 1;
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
            _mode = NdctlFilters.ParseMode(mode) is { } parsedMode ? Enum.Parse<NamespaceMode>(parsedMode.ToString()) : null;
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

    // util_filter_walk with list's callbacks.
    private void Walk()
    {
        IReadOnlyList<NvdimmBus> buses = guest.NvdimmBuses;
        foreach (NdRegion region in buses.SelectMany(b => b.Regions))
        {
            _scanned[region] = Scan(region);
        }
        foreach (NvdimmBus bus in buses)
        {
            if (!NdctlFilters.Bus(bus, _busFilter)
                || (_dimmFilter is not null && _dimmFilter != "all" && !bus.Dimms.Any(d => NdctlFilters.Dimm(d, _dimmFilter)))
                || (_regionFilter is not null && _regionFilter != "all" && !bus.Regions.Any(r => NdctlFilters.Region(r, _regionFilter)))
                || (_namespaceFilter is not null && _namespaceFilter != "all" && !bus.Regions.Any(r => Namespaces(r).Any(n => NdctlFilters.Namespace(n.Device, _namespaceFilter)))))
            {
                continue;
            }
            FilterBus(bus);
            if (_dimms)
            {
                foreach (Nvdimm dimm in KernfsOrder.Sort(bus.Dimms, d => d.Name))
                {
                    if (NdctlFilters.Dimm(dimm, _dimmFilter) && NdctlFilters.DimmInRegion(dimm, _regionFilter)
                        && DimmInNamespace(dimm) && NdctlFilters.DimmOnNode(dimm, _numaNode))
                    {
                        FilterDimm(dimm);
                    }
                }
            }
            foreach (NdRegion region in KernfsOrder.Sort(bus.Regions, r => r.Name))
            {
                if (!NdctlFilters.Region(region, _regionFilter) || !NdctlFilters.RegionHasDimm(region, _dimmFilter)
                    || !(_namespaceFilter is null or "all" || Namespaces(region).Any(n => NdctlFilters.Namespace(n.Device, _namespaceFilter)))
                    || (_numaNode is { } node && region.NumaNode != node)
                    || _blkOnly)
                {
                    continue;
                }
                if (!FilterRegion(region) || !_namespaces)
                {
                    continue;
                }
                foreach (NdctlNamespace ns in KernfsOrder.Sort(Namespaces(region), n => n.Device))
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

    /// <summary>
    /// The region as the kernel probes it, through Vnvdimm.Ndctl: a pmem region over one DIMM is
    /// scanned from that DIMM's labels and the region's media; any other keeps the guest's own
    /// label-less namespaces.
    /// </summary>
    private NdctlRegion? Scan(NdRegion region) =>
        region.Type == NdRegionType.Pmem && region.Mappings.Count == 1 && region.Mappings[0].Dimm.IsEnabled
            ? RegionScanner.Scan(region.Id, GuestNdctlDimms.For(guest, region.Mappings[0].Dimm))
            : null;

    private IReadOnlyList<NdctlNamespace> Namespaces(NdRegion region) => _scanned.GetValueOrDefault(region) switch
    {
        { IsEnabled: true } scanned => scanned.Namespaces,
        { } => [],
        null => [.. region.Namespaces.Select(ns => new NdctlNamespace
        {
            Device = ns.Name,
            Capacity = ns.Size,
            Size = ns.Size,
            Name = ns.AltName ?? "",
            SectorSize = ns.SectorSize is null or 0 ? 512 : ns.SectorSize.Value,
            BlockDevice = ns.BlockDevice,
            IsActive = ns.IsActive,
        })],
    };

    private bool DimmInNamespace(Nvdimm dimm) =>
        _namespaceFilter is null or "all" || dimm.Bus.Regions.Any(r =>
            r.Mappings.Any(m => m.Dimm == dimm) && Namespaces(r).Any(n => NdctlFilters.Namespace(n.Device, _namespaceFilter)));

    private void FilterBus(NvdimmBus bus)
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
        _jbuses ??= new JsonCArray();
        // No scrub_state: the bus has no ARS, so nfit/scrub does not exist.
        _jbus = new JsonCObject().Add("provider", new JsonCString(bus.Provider)).Add("dev", new JsonCString(bus.Name));
        _jbuses.Add(_jbus);
    }

    private void FilterDimm(Nvdimm dimm)
    {
        if (!_configured && !_idle && !dimm.IsEnabled)
        {
            return;
        }
        if (_jdimms is null)
        {
            _jdimms = new JsonCArray();
            _jbus?.Add("dimms", _jdimms);
        }
        _jdimms.Add(DimmToJson(dimm));
    }

    private bool FilterRegion(NdRegion region)
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
            _jregions = new JsonCArray();
            _jbus?.Add("regions", _jregions);
        }
        _jregion = RegionToJson(region);
        // Namespaces of the next region start a new array.
        _jnamespaces = null;
        _jregions.Add(_jregion);
        return true;
    }

    private void FilterNamespace(NdRegion region, NdctlNamespace ns)
    {
        if (!ns.IsActive && !_idle && !(_configured && ns.Size > 0))
        {
            return;
        }
        if (_jnamespaces is null)
        {
            _jnamespaces = new JsonCArray();
            (_jregion ?? _jbus)?.Add("namespaces", _jnamespaces);
        }
        IReadOnlyList<KeyValuePair<string, long>> numa = _verbose
            ? [new("numa_node", region.NumaNode), new("target_node", region.TargetNode)]
            : [];
        _jnamespaces.Add(new JsonCText(NdctlJson.Namespace(ns, _human, _verbose, numa)));
    }

    private JsonCObject DimmToJson(Nvdimm dimm)
    {
        var json = new JsonCObject().Add("dev", new JsonCString(dimm.Name));
        if (dimm.UniqueId is not null)
        {
            json.Add("id", new JsonCString(dimm.UniqueId));
        }
        json.Add("handle", JsonCInteger.Hex(dimm.Handle, _human));
        json.Add("phys_id", JsonCInteger.Hex(dimm.PhysicalId, _human));
        if (!dimm.IsEnabled)
        {
            json.Add("state", new JsonCString("disabled"));
        }
        NfitMemoryDeviceStateFlags flags = dimm.Flags;
        AddFlag(json, "flag_failed_map", (flags & NfitMemoryDeviceStateFlags.NotMappedToSpa) != 0);
        AddFlag(json, "flag_failed_save", (flags & NfitMemoryDeviceStateFlags.SaveFailed) != 0);
        AddFlag(json, "flag_failed_arm", (flags & NfitMemoryDeviceStateFlags.NotArmed) != 0);
        AddFlag(json, "flag_failed_restore", (flags & NfitMemoryDeviceStateFlags.RestoreFailed) != 0);
        AddFlag(json, "flag_failed_flush", (flags & NfitMemoryDeviceStateFlags.FlushFailed) != 0);
        AddFlag(json, "flag_smart_event", (flags & NfitMemoryDeviceStateFlags.SmartEventsObserved) != 0);
        return json;
    }

    private static void AddFlag(JsonCObject json, string key, bool set)
    {
        if (set)
        {
            json.Add(key, new JsonCBoolean(true));
        }
    }

    private JsonCObject RegionToJson(NdRegion region)
    {
        NdctlRegion? scanned = _scanned.GetValueOrDefault(region);
        var json = new JsonCObject()
            .Add("dev", new JsonCString(region.Name))
            .Add("size", JsonCInteger.Size(region.Size, _human))
            .Add("align", JsonCInteger.Size(region.Alignment, _human))
            // Label-less regions have no allocatable capacity: their one namespace spans them.
            .Add("available_size", JsonCInteger.Size(scanned?.AvailableSize ?? 0, _human))
            .Add("max_available_extent", JsonCInteger.Size(scanned?.MaxAvailableExtent ?? 0, _human))
            .Add("type", new JsonCString("pmem"));
        if (_verbose)
        {
            json.Add("numa_node", new JsonCInteger(region.NumaNode));
            json.Add("target_node", new JsonCInteger(region.TargetNode));
        }
        if (scanned?.InterleaveSetCookie is ulong cookie)
        {
            json.Add("iset_id", JsonCInteger.Hex(cookie, _human));
        }
        JsonCArray? mappings = null;
        if (_dimms)
        {
            foreach (NdMapping mapping in region.Mappings)
            {
                if (!NdctlFilters.Dimm(mapping.Dimm, _dimmFilter) || (!_configured && !_idle && !mapping.Dimm.IsEnabled))
                {
                    continue;
                }
                if (mappings is null)
                {
                    mappings = new JsonCArray();
                    json.Add("mappings", mappings);
                }
                var jmapping = new JsonCObject()
                    .Add("dimm", new JsonCString(mapping.Dimm.Name))
                    .Add("offset", JsonCInteger.Hex(mapping.Start, _human))
                    .Add("length", JsonCInteger.Hex(mapping.Size, _human));
                if (mapping.Position >= 0)
                {
                    jmapping.Add("position", new JsonCInteger(mapping.Position));
                }
                mappings.Add(jmapping);
            }
        }
        if (!region.IsEnabled)
        {
            json.Add("state", new JsonCString("disabled"));
        }
        json.Add("persistence_domain", new JsonCString(region.PersistenceDomain switch
        {
            NdPersistenceDomain.CpuCache => "cpu_cache",
            NdPersistenceDomain.MemoryController => "memory_controller",
            _ => "unknown",
        }));
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
            var platform = new JsonCObject();
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
            stdout.Write(platform.ToJsonString() + "\n");
        }
        else if (_jdimms is not null)
        {
            DisplayArray(_jdimms);
        }
        else if (_jregions is not null)
        {
            DisplayArray(_jregions);
        }
        else if (_jnamespaces is not null)
        {
            DisplayArray(_jnamespaces);
        }
    }

    // util_display_json_array: a lone element prints without the array only with -u.
    private void DisplayArray(JsonCArray array)
    {
        if (array.Count > 1 || !_human)
        {
            stdout.Write(array.ToJsonString() + "\n");
        }
        else if (array.Count == 1)
        {
            stdout.Write(array.Elements[0].ToJsonString() + "\n");
        }
    }
}
