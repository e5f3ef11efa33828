namespace Vnvdimm.Ndctl;

/// <summary>
/// The order in which ndctl 76 lists devices, in the guest and offline alike. libndctl reads a sysfs directory (kernfs returns
/// entries in ascending order of its name hash, then name) and inserts each device at the head of
/// its list, so dimms, regions and namespaces come out in descending hash order: for example
/// nmem1 before nmem0 and region1 before region0 (as in every two-DIMM capture), namespace0.2,
/// 0.1, 0.0.
/// </summary>
public static class KernfsOrder
{
    private const ulong GoldenRatio64 = 0x61C8864680B583EB;

    /// <summary>Linux 6.1's kernfs_name_hash(name, NULL) on a 64-bit kernel.</summary>
    public static uint Hash(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ulong hash = 0;
        foreach (char c in name)
        {
            // partial_name_hash on the name's bytes (device names are ASCII).
            ulong b = (byte)c;
            hash = unchecked((hash + (b << 4) + (b >> 4)) * 11);
        }
        // end_name_hash = hash_long(hash, 32) = hash * GOLDEN_RATIO_64 >> 32.
        uint result = (uint)(unchecked(hash * GoldenRatio64) >> 32);
        result &= 0x7FFF_FFFF;
        if (result < 2)
        {
            result += 2;
        }
        if (result >= int.MaxValue)
        {
            result = int.MaxValue - 1;
        }
        return result;
    }

    /// <summary><paramref name="items"/> in the order ndctl lists them.</summary>
    public static IReadOnlyList<T> Sort<T>(IEnumerable<T> items, Func<T, string> name) =>
        [.. items.OrderByDescending(item => Hash(name(item))).ThenByDescending(item => name(item), StringComparer.Ordinal)];
}
