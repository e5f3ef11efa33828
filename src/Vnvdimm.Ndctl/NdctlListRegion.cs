namespace Vnvdimm.Ndctl;

/// <summary>
/// A pmem region as <c>ndctl list</c> walks it: its sizes, mappings and the namespaces the kernel
/// found, in the order ndctl lists them (empty when the region's probe failed). A null
/// <see cref="NumaNode"/> (an offline image) leaves the numa fields out and matches no --numa-node.
/// </summary>
public sealed record NdctlListRegion(int Id, string Device)
{
    public ulong Size { get; init; }
    public ulong Align { get; init; }
    public ulong AvailableSize { get; init; }
    public ulong MaxAvailableExtent { get; init; }
    public ulong? InterleaveSetCookie { get; init; }
    public bool IsEnabled { get; init; } = true;
    public string PersistenceDomain { get; init; } = "unknown";
    public int? NumaNode { get; init; }
    public int? TargetNode { get; init; }
    public IReadOnlyList<NdctlListMapping> Mappings { get; init; } = [];
    public IReadOnlyList<NdctlNamespace> Namespaces { get; init; } = [];
}
