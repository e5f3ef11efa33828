namespace Vnvdimm.Host.Monitor.Qmp;

/// <summary>
/// A QObject dict: members kept in insertion order; QEMU prints them in QDict hash order, which
/// <see cref="QmpJson"/> applies when writing. Values are QmpDict, List&lt;object?&gt;, string,
/// long, ulong, double, bool or null.
/// </summary>
internal sealed class QmpDict
{
    private readonly List<KeyValuePair<string, object?>> _members = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Members => _members;

    public int Count => _members.Count;

    /// <summary>Adds or replaces (in place, as qdict_put does) a member; returns this for chaining.</summary>
    public QmpDict Add(string key, object? value)
    {
        int index = _members.FindIndex(m => m.Key == key);
        if (index >= 0)
        {
            _members[index] = new(key, value);
        }
        else
        {
            _members.Add(new(key, value));
        }
        return this;
    }

    public bool TryGet(string key, out object? value)
    {
        foreach (KeyValuePair<string, object?> member in _members)
        {
            if (member.Key == key)
            {
                value = member.Value;
                return true;
            }
        }
        value = null;
        return false;
    }
}
