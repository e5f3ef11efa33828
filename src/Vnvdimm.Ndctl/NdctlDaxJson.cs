using System.Globalization;

namespace Vnvdimm.Ndctl;

/// <summary>
/// The device-dax and capability parts of ndctl 76's JSON: the "daxregion" a devdax namespace shows
/// for `list -X` and in create-namespace's output (in place of "chardev"), and a region's
/// "capabilities" for `list -RC`. Keys and their order are those Linux 6.1 + ndctl 76 printed under
/// QEMU (tests/Fixtures/ndctl-76/reconfigure).
/// </summary>
internal static class NdctlDaxJson
{
    private const ulong PageSize = 4096;

    /// <summary>The x86 alignments the kernel offers for pfn and dax devices (4K, 2M, 1G).</summary>
    public static readonly ulong[] Alignments = [PageSize, 2UL << 20, 1UL << 30];

    /// <summary>btt_lbasize_supported: the sector sizes a BTT accepts.</summary>
    public static readonly ulong[] BttSectorSizes = [512, 520, 528, 4096, 4104, 4160, 4224];

    /// <summary>
    /// daxctl's region JSON with its one device: the dax region is the namespace's data area, so both
    /// sizes are the namespace's size; alignments print as plain numbers even with -u.
    /// </summary>
    public static JsonC.Object DaxRegion(NdctlNamespace ns, int regionId, int targetNode, bool human)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var device = new JsonC.Object
        {
            { "chardev", ns.CharDevice ?? string.Create(CultureInfo.InvariantCulture, $"dax{regionId}.0") },
            { "size", Size(ns.Size, human) },
            { "target_node", targetNode },
            { "align", Number(ns.Align) },
            { "mode", "devdax" },
        };
        return new JsonC.Object
        {
            { "id", regionId },
            { "size", Size(ns.Size, human) },
            { "align", Number(ns.Align) },
            { "devices", new List<object> { device } },
        };
    }

    /// <summary>A pmem region's capabilities: sector (BTT sector sizes), fsdax and devdax (alignments).</summary>
    public static List<object> Capabilities() =>
    [
        new JsonC.Object { { "mode", "sector" }, { "sector_sizes", Numbers(BttSectorSizes) } },
        new JsonC.Object { { "mode", "fsdax" }, { "alignments", Numbers(Alignments) } },
        new JsonC.Object { { "mode", "devdax" }, { "alignments", Numbers(Alignments) } },
    ];

    private static List<object> Numbers(IEnumerable<ulong> values) => [.. values.Select(v => (object)Number(v))];

    private static object Size(ulong value, bool human) => human ? JsonC.HumanSize(value) : Number(value);

    private static JsonC.Raw Number(ulong value) => new(value.ToString(CultureInfo.InvariantCulture));
}
