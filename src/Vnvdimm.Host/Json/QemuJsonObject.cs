namespace Vnvdimm.Host.Json;

/// <summary>
/// A JSON object as QEMU's parser builds it (a QDict), for QMP and for JSON command-line options: members
/// kept in insertion order (QMP's writer applies QEMU's hash order when printing). Values are
/// QemuJsonObject, List&lt;object?&gt;, string, long, ulong, double, bool or null (QNum keeps int, uint or double).
/// </summary>
public sealed class QemuJsonObject
{
    private readonly List<KeyValuePair<string, object?>> _members = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Members => _members;

    public int Count => _members.Count;

    /// <summary>Adds or replaces (in place, as qdict_put does) a member; returns this for chaining.</summary>
    public QemuJsonObject Add(string key, object? value)
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

    public bool Contains(string key) => _members.Any(m => m.Key == key);

    /// <summary>qdict_get_try_str: the member if it is a string, else null.</summary>
    public string? TryGetString(string key) => TryGet(key, out object? value) ? value as string : null;

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
