namespace Vnvdimm.Host.Configuration;

/// <summary>-numa node,nodeid=N[,memdev=ID]: a proximity domain, optionally backed by a memory backend.</summary>
public sealed record NumaNodeOptions(uint NodeId, string? Memdev)
{
    /// <summary>QEMU's MAX_NODES.</summary>
    public const uint MaxNodes = 128;

    /// <summary>Parses the -numa options in order; only "node" entries define nodes (cpu/dist entries are accepted).</summary>
    public static IReadOnlyList<NumaNodeOptions> Parse(IEnumerable<VmOption> options)
    {
        var nodes = new List<NumaNodeOptions>();
        foreach (VmOption option in options)
        {
            QemuOpts opts;
            try
            {
                opts = QemuOpts.Parse(option.Argument, "type");
            }
            catch (QemuOptionException e)
            {
                throw e.WithLocation(option.Location);
            }
            string type = opts.Get("type") ?? "node";
            if (type is "cpu" or "dist" or "hmat-lb" or "hmat-cache")
            {
                continue;
            }
            if (type != "node")
            {
                throw new QemuOptionException($"Parameter 'type' does not accept value '{type}'", option.Location);
            }
            uint nodeId = (uint)nodes.Count;
            if (opts.Get("nodeid") is { } nodeText)
            {
                if (!uint.TryParse(nodeText, out nodeId))
                {
                    throw new QemuOptionException("Parameter 'nodeid' expects uint16_t", option.Location);
                }
            }
            if (nodeId >= MaxNodes)
            {
                throw new QemuOptionException($"Invalid NUMA node ID: {nodeId} (max is {MaxNodes - 1})", option.Location);
            }
            if (nodes.Any(n => n.NodeId == nodeId))
            {
                throw new QemuOptionException($"Duplicate NUMA nodeid: {nodeId}", option.Location);
            }
            string? memdev = opts.Get("memdev");
            _ = opts.Get("cpus");
            _ = opts.Get("initiator");
            foreach (string key in opts.UnconsumedKeys)
            {
                throw new QemuOptionException($"Invalid parameter '{key}'", option.Location);
            }
            nodes.Add(new NumaNodeOptions(nodeId, memdev));
        }
        return nodes;
    }
}
