using Vnvdimm.Host.Backends;

namespace Vnvdimm.Host.Configuration;

/// <summary>-numa node[,nodeid=N][,memdev=ID][,cpus=...]: a proximity domain and the backend of its RAM.</summary>
public sealed record NumaNodeOptions(uint NodeId, string? Memdev)
{
    /// <summary>QEMU's MAX_NODES.</summary>
    public const uint MaxNodes = 128;

    private static readonly string[] Types = ["node", "dist", "cpu", "hmat-lb", "hmat-cache"];

    /// <summary>The size of the memdev backend (the node's RAM), 0 without memdev.</summary>
    public ulong Memory { get; init; }

    /// <summary>
    /// parse_numa_opts for one -numa option, as QEMU 7.2 does it after the backends exist: the
    /// OptsVisitor (schema order, then leftovers in GLib hash order), then parse_numa_node.
    /// Returns a <see cref="NumaNodeOptions"/> or a <see cref="NumaDistanceOptions"/>, or null for
    /// the cpu and hmat types, which vnvdimm accepts without modelling. Errors carry no
    /// location; the caller adds the -numa text.
    /// </summary>
    internal static object? ParseOne(QemuOpts opts, IReadOnlyList<NumaNodeOptions> nodes, int maxCpus, Func<string, MemoryBackend?> findBackend, bool hmat = false)
    {
        var unprocessed = new GLibHashOrder();
        foreach ((string key, _) in opts.Elements)
        {
            if (key != "id")
            {
                unprocessed.Insert(key);
            }
        }
        if (opts.Id is not null)
        {
            unprocessed.Insert("id");
        }

        string type = opts.Get("type") ?? throw new QemuOptionException("Parameter 'type' is missing");
        if (!Types.Contains(type))
        {
            throw new QemuOptionException($"Parameter 'type' does not accept value '{type}'");
        }
        unprocessed.Remove("type");
        if (type == "dist")
        {
            return ParseDistance(opts, unprocessed, nodes);
        }
        if (type == "cpu")
        {
            ParseCpu(opts, unprocessed, nodes);
            return null;
        }
        if (type != "node")
        {
            return null;
        }

        uint? nodeId = null;
        if (opts.Has("nodeid"))
        {
            nodeId = (uint)VisitUInt16("nodeid", opts.Get("nodeid")!);
            unprocessed.Remove("nodeid");
        }
        var cpus = new List<ulong>();
        if (opts.Has("cpus"))
        {
            foreach ((string key, string value) in opts.Elements)
            {
                if (key == "cpus")
                {
                    cpus.AddRange(VisitUInt16Range("cpus", value));
                }
            }
            unprocessed.Remove("cpus");
        }
        bool hasMem = false;
        if (opts.Has("mem"))
        {
            if (!QemuValue.TryParseSize(opts.Get("mem")!, out _))
            {
                throw new QemuOptionException("Parameter 'mem' expects a size value");
            }
            hasMem = true;
            unprocessed.Remove("mem");
        }
        string? memdev = null;
        if (opts.Has("memdev"))
        {
            memdev = opts.Get("memdev");
            unprocessed.Remove("memdev");
        }
        ulong? initiator = null;
        if (opts.Has("initiator"))
        {
            initiator = VisitUInt16("initiator", opts.Get("initiator")!);
            unprocessed.Remove("initiator");
        }
        if (unprocessed.First() is { } leftover)
        {
            throw new QemuOptionException($"Invalid parameter '{leftover}'");
        }

        // parse_numa_node.
        uint id = nodeId ?? (uint)nodes.Count;
        if (id >= MaxNodes)
        {
            throw new QemuOptionException($"Max number of NUMA nodes reached: {id}");
        }
        if (nodes.Any(n => n.NodeId == id))
        {
            throw new QemuOptionException($"Duplicate NUMA nodeid: {id}");
        }
        if (initiator is not null && !hmat)
        {
            throw new QemuOptionException("ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, enable it with -machine hmat=on before using any of hmat specific options");
        }
        foreach (ulong cpu in cpus)
        {
            if (cpu >= (ulong)maxCpus)
            {
                throw new QemuOptionException($"CPU index ({cpu}) should be smaller than maxcpus ({maxCpus})");
            }
        }
        bool haveMemdevs = nodes.Any(n => n.Memdev is not null) || memdev is not null;
        if ((hasMem && haveMemdevs) || (memdev is not null && hasMem))
        {
            throw new QemuOptionException("numa configuration should use either mem= or memdev=,mixing both is not allowed");
        }
        if (hasMem)
        {
            throw new QemuOptionException("Parameter -numa node,mem is not supported by this machine type\nUse -numa node,memdev instead");
        }
        ulong memory = 0;
        if (memdev is not null)
        {
            MemoryBackend backend = findBackend(memdev) ?? throw new QemuOptionException($"memdev={memdev} is ambiguous");
            memory = backend.Size;
        }
        return new NumaNodeOptions(id, memdev) { Memory = memory };
    }

    // NumaDistOptions (src, dst, val, all required), then parse_numa_distance.
    private static NumaDistanceOptions ParseDistance(QemuOpts opts, GLibHashOrder unprocessed, IReadOnlyList<NumaNodeOptions> nodes)
    {
        ulong Member(string name, ulong max, string cType)
        {
            string value = opts.Get(name) ?? throw new QemuOptionException($"Parameter '{name}' is missing");
            ulong number = VisitUnsigned(name, value, max, cType);
            unprocessed.Remove(name);
            return number;
        }
        ulong src = Member("src", ushort.MaxValue, "uint16_t");
        ulong dst = Member("dst", ushort.MaxValue, "uint16_t");
        ulong val = Member("val", byte.MaxValue, "uint8_t");
        if (unprocessed.First() is { } leftover)
        {
            throw new QemuOptionException($"Invalid parameter '{leftover}'");
        }
        if (src >= MaxNodes || dst >= MaxNodes)
        {
            throw new QemuOptionException($"Parameter '{(src >= MaxNodes ? "src" : "dst")}' expects an integer between 0 and {MaxNodes - 1}");
        }
        if (!nodes.Any(n => n.NodeId == src) || !nodes.Any(n => n.NodeId == dst))
        {
            throw new QemuOptionException("Source/Destination NUMA node is missing. Please use '-numa node' option to declare it first.");
        }
        if (val < NumaDistanceOptions.LocalDistance)
        {
            throw new QemuOptionException($"NUMA distance ({val}) is invalid, it shouldn't be less than {NumaDistanceOptions.LocalDistance}.");
        }
        if (src == dst && val != NumaDistanceOptions.LocalDistance)
        {
            throw new QemuOptionException($"Local distance of node {src} should be {NumaDistanceOptions.LocalDistance}.");
        }
        return new NumaDistanceOptions((uint)src, (uint)dst, (byte)val);
    }

    // NumaCpuOptions: node-id and the topology ids; only the node is checked here.
    private static void ParseCpu(QemuOpts opts, GLibHashOrder unprocessed, IReadOnlyList<NumaNodeOptions> nodes)
    {
        ulong? nodeId = null;
        foreach (string name in new[] { "node-id", "socket-id", "die-id", "cluster-id", "core-id", "thread-id" })
        {
            if (opts.Get(name) is { } value)
            {
                ulong number = VisitUnsigned(name, value, ulong.MaxValue, "uint64_t");
                nodeId = name == "node-id" ? number : nodeId;
                unprocessed.Remove(name);
            }
        }
        if (unprocessed.First() is { } leftover)
        {
            throw new QemuOptionException($"Invalid parameter '{leftover}'");
        }
        if (nodeId is null)
        {
            throw new QemuOptionException("Missing mandatory node-id property");
        }
        if (!nodes.Any(n => n.NodeId == nodeId))
        {
            throw new QemuOptionException($"Invalid node-id={nodeId}, NUMA node must be defined with -numa node,nodeid=ID before it's used with -numa cpu,node-id=ID");
        }
    }

    // The OptsVisitor's uint16: parse_uint_full, then the range check.
    private static ulong VisitUInt16(string name, string value) => VisitUnsigned(name, value, ushort.MaxValue, "uint16_t");

    private static ulong VisitUnsigned(string name, string value, ulong max, string cType)
    {
        if (!Backends.OptsReader.ParseUInt(value, 0, out ulong number, out int end) || end != value.Length)
        {
            throw new QemuOptionException($"Parameter '{name}' expects a uint64 value");
        }
        return number <= max ? number : throw new QemuOptionException($"Parameter '{name}' expects {cType}");
    }

    // A list element: "N" or "N-M".
    private static IEnumerable<ulong> VisitUInt16Range(string name, string value)
    {
        if (!Backends.OptsReader.ParseUInt(value, 0, out ulong first, out int end))
        {
            throw new QemuOptionException($"Parameter '{name}' expects a uint64 value or range");
        }
        ulong last = first;
        if (end != value.Length)
        {
            if (value[end] != '-' || !Backends.OptsReader.ParseUInt(value, end + 1, out last, out int rangeEnd)
                || rangeEnd != value.Length || first > last || last - first >= 65536)
            {
                throw new QemuOptionException($"Parameter '{name}' expects a uint64 value or range");
            }
        }
        var values = new List<ulong>();
        for (ulong v = first; ; v++)
        {
            if (v > ushort.MaxValue)
            {
                throw new QemuOptionException("Parameter 'null' expects uint16_t");
            }
            values.Add(v);
            if (v == last)
            {
                break;
            }
        }
        return values;
    }
}
