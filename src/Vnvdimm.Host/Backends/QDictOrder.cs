namespace Vnvdimm.Host.Backends;

/// <summary>
/// Iteration order of a QEMU QDict: 512 buckets by tdb_hash, ascending, newest entry first
/// within a bucket. QEMU 7.2 sets an -object's properties in this order, so it decides which
/// of several bad properties is reported.
/// </summary>
internal static class QDictOrder
{
    private const uint Buckets = 512;

    public static uint TdbHash(string key)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(key);
        uint value = unchecked(0x238F13AFu * (uint)bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            value = unchecked(value + ((uint)bytes[i] << (i * 5 % 24)));
        }
        return unchecked(1103515243u * value + 12345u);
    }

    /// <summary>Orders keys given in insertion order as qdict_first/qdict_next visit them.</summary>
    public static IReadOnlyList<string> Order(IReadOnlyList<string> insertionOrder) =>
        insertionOrder
            .Select((key, index) => (key, index, bucket: TdbHash(key) % Buckets))
            .OrderBy(e => e.bucket)
            .ThenByDescending(e => e.index)
            .Select(e => e.key)
            .ToList();
}
