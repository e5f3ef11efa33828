namespace Vnvdimm.Host.Monitor;

/// <summary>
/// The order QEMU's object_child_foreach visits the children of a container: GHashTable
/// iteration order of their names. Placeholder: insertion order until the hash model is wired.
/// </summary>
internal static class QomChildOrder
{
    public static IReadOnlyList<string> Order(IReadOnlyList<string> insertionOrder) => insertionOrder;
}
