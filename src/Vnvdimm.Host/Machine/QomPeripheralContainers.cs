using Vnvdimm.Host.Backends;

namespace Vnvdimm.Host.Machine;

/// <summary>
/// Where QEMU 7.2 puts -device/device_add devices in the QOM tree: /machine/peripheral under their
/// id, /machine/peripheral-anon as "device[N]" (the lowest free N) without one. QEMU's NFIT lists
/// NVDIMMs in the order object_child_foreach_recursive meets them: the machine's children in
/// property-table order, where "peripheral" comes before "peripheral-anon" on pc and q35 (qom-list
/// /machine), and inside each container its GHashTable order, which every insertion and removal
/// shapes (a failed device_add is named, then unparented).
/// </summary>
internal sealed class QomPeripheralContainers
{
    private const string AnonymousPrefix = "device[";

    private readonly GLibHashOrder _peripheral = new();
    private readonly GLibHashOrder _peripheralAnon = new();
    private readonly HashSet<int> _anonymousInUse = [];

    /// <summary>Names the device in its container (qdev_set_id) and returns that child name.</summary>
    public string Attach(string? id)
    {
        if (id is not null)
        {
            _peripheral.Insert(id);
            return id;
        }
        int n = 0;
        while (_anonymousInUse.Contains(n))
        {
            n++;
        }
        _anonymousInUse.Add(n);
        string name = $"{AnonymousPrefix}{n}]";
        _peripheralAnon.Insert(name);
        return name;
    }

    /// <summary>Unparents a device named by <see cref="Attach"/> (failed realize, unplug).</summary>
    public void Detach(string name, bool anonymous)
    {
        if (!anonymous)
        {
            _peripheral.Remove(name);
            return;
        }
        _peripheralAnon.Remove(name);
        _anonymousInUse.Remove(int.Parse(name.AsSpan(AnonymousPrefix.Length, name.Length - AnonymousPrefix.Length - 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Child names in the order the recursive walk from /machine meets them.</summary>
    public IEnumerable<(string Name, bool Anonymous)> WalkOrder() =>
        _peripheral.Keys().Select(k => (k, false)).Concat(_peripheralAnon.Keys().Select(k => (k, true)));
}
