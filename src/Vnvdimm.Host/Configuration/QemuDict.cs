using Vnvdimm.Host.Backends;

namespace Vnvdimm.Host.Configuration;

/// <summary>
/// A QEMU QDict of strings and nested dicts, iterated in QDict's order: 512 buckets by
/// tdb_hash, ascending, newest entry first within a bucket, a replaced value keeping its place.
/// QEMU applies -machine and -device properties in this order, so it decides which error wins.
/// </summary>
internal sealed class QemuDict
{
    private const uint Buckets = 512;

    // Per bucket, entries newest first.
    private readonly Dictionary<uint, List<Entry>> _buckets = [];

    private sealed class Entry(string key, object value)
    {
        public string Key { get; } = key;
        public object Value { get; set; } = value;
    }

    public int Count => _buckets.Values.Sum(b => b.Count);

    /// <summary>qdict_put_obj: a new key goes to the head of its bucket; an existing one is replaced in place.</summary>
    public void Put(string key, object value)
    {
        if (value is not (string or QemuDict))
        {
            throw new ArgumentException("A QDict value is a string or a QemuDict.", nameof(value));
        }
        uint bucket = QDictOrder.TdbHash(key) % Buckets;
        if (!_buckets.TryGetValue(bucket, out List<Entry>? entries))
        {
            entries = [];
            _buckets[bucket] = entries;
        }
        Entry? existing = entries.FirstOrDefault(e => e.Key == key);
        if (existing is not null)
        {
            existing.Value = value;
            return;
        }
        entries.Insert(0, new Entry(key, value));
    }

    public object? Get(string key)
    {
        uint bucket = QDictOrder.TdbHash(key) % Buckets;
        return _buckets.TryGetValue(bucket, out List<Entry>? entries) ? entries.FirstOrDefault(e => e.Key == key)?.Value : null;
    }

    public bool Remove(string key)
    {
        uint bucket = QDictOrder.TdbHash(key) % Buckets;
        return _buckets.TryGetValue(bucket, out List<Entry>? entries) && entries.RemoveAll(e => e.Key == key) > 0;
    }

    /// <summary>The entries in qdict_first/qdict_next order.</summary>
    public IEnumerable<KeyValuePair<string, object>> Entries =>
        _buckets.OrderBy(b => b.Key).SelectMany(b => b.Value.Select(e => new KeyValuePair<string, object>(e.Key, e.Value))).ToList();

    /// <summary>keyval_merge: copies <paramref name="source"/> in its order, merging nested dicts.</summary>
    public void Merge(QemuDict source, string prefix = "")
    {
        foreach ((string key, object value) in source.Entries)
        {
            object? old = Get(key);
            if (old is not null)
            {
                if (old.GetType() != value.GetType())
                {
                    throw new QemuOptionException($"Parameter '{prefix}{key}' used inconsistently");
                }
                if (value is QemuDict nested)
                {
                    ((QemuDict)old).Merge(nested, $"{prefix}{key}.");
                    continue;
                }
            }
            Put(key, value is QemuDict dict ? dict.Clone() : value);
        }
    }

    /// <summary>qdict_clone_shallow: inserting in iteration order reverses each bucket.</summary>
    public QemuDict ShallowClone()
    {
        var copy = new QemuDict();
        foreach ((string key, object value) in Entries)
        {
            copy.Put(key, value);
        }
        return copy;
    }

    public QemuDict Clone()
    {
        var copy = new QemuDict();
        // Re-inserting oldest first per bucket recreates the same order.
        foreach ((uint bucket, List<Entry> entries) in _buckets)
        {
            copy._buckets[bucket] = entries.Select(e => new Entry(e.Key, e.Value is QemuDict d ? d.Clone() : e.Value)).ToList();
        }
        return copy;
    }
}
