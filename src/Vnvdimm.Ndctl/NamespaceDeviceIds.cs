namespace Vnvdimm.Ndctl;

/// <summary>
/// The device ids a kernel hands a labelled region's namespaces between two probes of the region,
/// as Linux 6.1 does (tests/Fixtures/ndctl-76/naming): at probe, by DPA, then the seed; a new
/// namespace takes an idle namespace0.0 if there is one (ndctl's region_get_namespace prefers
/// it), else the seed, whose place a new seed takes with the lowest free id (the region's ida); a
/// destroyed namespace's device goes away and frees its id, except namespace0.0, which stays idle
/// with its name; a reconfigured namespace keeps its device.
/// </summary>
public sealed class NamespaceDeviceIds
{
    private readonly Dictionary<Guid, int> _ids = [];
    private int? _reconfiguring;

    /// <summary>False until the region's first scan since its probe numbered it.</summary>
    public bool IsNumbered { get; private set; }

    /// <summary>The seed's id.</summary>
    public int Seed { get; private set; }

    /// <summary>The alt_name namespace0.0 keeps after its labels were destroyed; null while it is not idle.</summary>
    public string? IdleZeroName { get; private set; }

    /// <summary>
    /// Whether the region has a seed. Linux 6.1 re-probing a region (disable-region, enable-region)
    /// that holds two or more namespaces makes none, so create-namespace fails with ENOSPC until the
    /// next boot; at boot, or with fewer namespaces, it does (tests/Fixtures/ndctl-76/naming).
    /// </summary>
    public bool HasSeed { get; private set; } = true;

    private bool _reprobe;

    /// <summary>Numbers the region as its probe does: <paramref name="byDpa"/> get 0, 1, …; the seed the next id.</summary>
    public void Number(IReadOnlyList<Guid> byDpa)
    {
        _ids.Clear();
        for (int i = 0; i < byDpa.Count; i++)
        {
            _ids[byDpa[i]] = i;
        }
        Seed = byDpa.Count;
        IdleZeroName = null;
        _reconfiguring = null;
        HasSeed = !(_reprobe && byDpa.Count >= 2);
        _reprobe = false;
        IsNumbered = true;
    }

    /// <summary>The id of the namespace with label uuid <paramref name="uuid"/>, giving a new one its device.</summary>
    public int IdOf(Guid uuid)
    {
        if (_ids.TryGetValue(uuid, out int id))
        {
            return id;
        }
        if (_reconfiguring is int kept)
        {
            _reconfiguring = null;
            id = kept;
        }
        else if (IdleZeroName is not null)
        {
            IdleZeroName = null;
            id = 0;
        }
        else
        {
            id = Seed;
            Seed = LowestFree();
        }
        _ids[uuid] = id;
        return id;
    }

    /// <summary>destroy-namespace: the device goes away (its id is free again), but namespace0.0 stays idle.</summary>
    public void Destroyed(Guid uuid, string name)
    {
        if (_ids.Remove(uuid, out int id) && id == 0)
        {
            IdleZeroName = name;
        }
    }

    /// <summary>create-namespace -e: the namespace made next takes this one's device.</summary>
    public void Reconfiguring(Guid uuid)
    {
        if (_ids.Remove(uuid, out int id))
        {
            _reconfiguring = id;
        }
    }

    /// <summary>The region's driver let go: its next probe numbers it afresh.</summary>
    public void Reset()
    {
        IsNumbered = false;
        _reprobe = true;
    }

    private int LowestFree()
    {
        int id = 0;
        while (_ids.ContainsValue(id) || id == Seed || (id == 0 && IdleZeroName is not null) || id == _reconfiguring)
        {
            id++;
        }
        return id;
    }
}
