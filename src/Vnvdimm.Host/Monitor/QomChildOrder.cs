using Vnvdimm.Host.Backends;

namespace Vnvdimm.Host.Monitor;

/// <summary>
/// The order QEMU 7.2 lists the children of a QOM container such as /objects: object_child_foreach
/// walks the object's property GHashTable (keyed by child name, so GLib's iteration order, which
/// depends on every insertion and removal), and query-memdev / qom-list prepend each visited
/// child to their result, so the listing is that walk reversed.
/// </summary>
internal static class QomChildOrder
{
    /// <summary>The listing order of children added in <paramref name="insertionOrder"/> (none removed).</summary>
    public static IReadOnlyList<string> Order(IReadOnlyList<string> insertionOrder)
    {
        var table = new GLibHashOrder();
        foreach (string name in insertionOrder)
        {
            table.Insert(name);
        }
        return ListingOrder(table);
    }

    /// <summary>The listing order of the children currently in <paramref name="table"/>.</summary>
    public static IReadOnlyList<string> ListingOrder(GLibHashOrder table)
    {
        var walk = table.Keys().ToList();
        walk.Reverse();
        return walk;
    }
}
