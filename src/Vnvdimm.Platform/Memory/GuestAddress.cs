namespace Vnvdimm.Platform.Memory;

/// <summary>An absolute guest-physical address. Distinct from offsets so the two never mix.</summary>
public readonly record struct GuestAddress(ulong Value) : IComparable<GuestAddress>
{
    public int CompareTo(GuestAddress other) => Value.CompareTo(other.Value);

    /// <summary>This address plus <paramref name="length"/>, or false when it would wrap past 2^64.</summary>
    public bool TryAdd(ulong length, out GuestAddress result)
    {
        ulong sum = unchecked(Value + length);
        result = new GuestAddress(sum);
        return sum >= Value;
    }

    public override string ToString() => $"0x{Value:x}";
}
