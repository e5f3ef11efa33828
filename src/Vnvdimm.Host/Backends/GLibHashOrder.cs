namespace Vnvdimm.Host.Backends;

/// <summary>
/// Reproduces the iteration order of a GLib 2.74 GHashTable keyed by strings (g_str_hash,
/// quadratic probing, in-place resize). QEMU 7.2's OptsVisitor reports the first leftover
/// option in that order ("Invalid parameter 'x'"), so matching the order matches the message
/// when several unknown options are given. Checked against Debian's qemu on 80 random cases.
/// </summary>
internal sealed class GLibHashOrder
{
    private const int MinShift = 3;
    private const uint Unused = 0;
    private const uint Tombstone = 1;

    private static readonly uint[] PrimeMod =
    [
        1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521,
        131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213,
    ];

    private uint[] _hashes;
    private string?[] _keys;
    private int _size;
    private uint _mod;
    private int _mask;
    private int _nodes;
    private int _occupied;

    public GLibHashOrder()
    {
        SetShift(MinShift);
        _hashes = new uint[_size];
        _keys = new string?[_size];
    }

    private void SetShift(int shift)
    {
        _size = 1 << shift;
        _mod = PrimeMod[shift];
        _mask = _size - 1;
    }

    /// <summary>g_str_hash: djb2 over the bytes as signed chars.</summary>
    public static uint StrHash(string key)
    {
        uint h = 5381;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(key))
        {
            h = (h << 5) + h + (uint)(sbyte)b;
        }
        return h;
    }

    // The multiply wraps at 32 bits before the modulo, as in C.
    private int ToIndex(uint hash) => (int)(unchecked(hash * 11) % _mod);

    private int Lookup(string key, out uint hash)
    {
        hash = StrHash(key);
        if (hash < 2)
        {
            hash = 2;
        }
        int index = ToIndex(hash);
        int step = 0;
        int tombstone = -1;
        while (_hashes[index] != Unused)
        {
            if (_hashes[index] == hash && _keys[index] == key)
            {
                return index;
            }
            if (_hashes[index] == Tombstone && tombstone < 0)
            {
                tombstone = index;
            }
            step++;
            index = (index + step) & _mask;
        }
        return tombstone >= 0 ? tombstone : index;
    }

    public void Insert(string key)
    {
        int index = Lookup(key, out uint hash);
        uint old = _hashes[index];
        if (old >= 2)
        {
            return;
        }
        _hashes[index] = hash;
        _keys[index] = key;
        _nodes++;
        if (old == Unused)
        {
            _occupied++;
            MaybeResize();
        }
    }

    public void Remove(string key)
    {
        int index = Lookup(key, out _);
        if (_hashes[index] < 2)
        {
            return;
        }
        _hashes[index] = Tombstone;
        _keys[index] = null;
        _nodes--;
        MaybeResize();
    }

    /// <summary>The key g_hash_table_iter_next would return first, or null when empty.</summary>
    public string? First()
    {
        for (int i = 0; i < _size; i++)
        {
            if (_hashes[i] >= 2)
            {
                return _keys[i];
            }
        }
        return null;
    }

    /// <summary>Every key in g_hash_table_iter_next order.</summary>
    public IEnumerable<string> Keys()
    {
        for (int i = 0; i < _size; i++)
        {
            if (_hashes[i] >= 2)
            {
                yield return _keys[i]!;
            }
        }
    }

    private void MaybeResize()
    {
        if ((_size > _nodes * 4 && _size > 1 << MinShift) || _size <= _occupied + _occupied / 16)
        {
            Resize();
        }
    }

    private void Resize()
    {
        int oldSize = _size;
        int target = (int)(_nodes * 1.333);
        int shift = 0;
        for (; target != 0; target >>= 1)
        {
            shift++;
        }
        SetShift(Math.Max(shift, MinShift));
        if (_size > oldSize)
        {
            Array.Resize(ref _hashes, _size);
            Array.Resize(ref _keys, _size);
        }
        var placed = new bool[Math.Max(_size, oldSize)];
        for (int i = 0; i < oldSize; i++)
        {
            uint hash = _hashes[i];
            if (hash < 2)
            {
                _hashes[i] = Unused;
                continue;
            }
            if (placed[i])
            {
                continue;
            }
            _hashes[i] = Unused;
            string? key = _keys[i];
            _keys[i] = null;
            // Evict-and-place chain of GLib's in-place rehash.
            while (true)
            {
                int index = ToIndex(hash);
                int step = 0;
                while (placed[index])
                {
                    step++;
                    index = (index + step) & _mask;
                }
                placed[index] = true;
                uint replaced = _hashes[index];
                _hashes[index] = hash;
                if (replaced < 2)
                {
                    _keys[index] = key;
                    break;
                }
                hash = replaced;
                (key, _keys[index]) = (_keys[index], key);
            }
        }
        if (_size < oldSize)
        {
            Array.Resize(ref _hashes, _size);
            Array.Resize(ref _keys, _size);
        }
        _occupied = _nodes;
    }
}
