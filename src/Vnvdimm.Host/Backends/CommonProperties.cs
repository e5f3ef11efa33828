namespace Vnvdimm.Host.Backends;

/// <summary>The members every memory backend has (QAPI MemoryBackendProperties), as parsed.</summary>
internal sealed record CommonProperties
{
    /// <summary>dump, or null for the machine's dump-guest-core.</summary>
    public bool? Dump { get; init; }
    public IReadOnlyList<ulong> HostNodes { get; init; } = [];
    /// <summary>merge, or null for the machine's mem-merge.</summary>
    public bool? Merge { get; init; }
    public string Policy { get; init; } = "default";
    public bool Prealloc { get; init; }
    public string? PreallocContext { get; init; }
    public uint? PreallocThreads { get; init; }
    public bool? Share { get; init; }
    public bool Reserve { get; init; } = true;
    public ulong Size { get; init; }
    public bool UseCanonicalPath { get; init; }

    /// <summary>Reads the members in QAPI schema order, which decides which error QEMU reports first.</summary>
    public static CommonProperties Read(OptsReader reader) => new()
    {
        Dump = reader.Bool("dump"),
        HostNodes = reader.UInt16List("host-nodes") ?? [],
        Merge = reader.Bool("merge"),
        Policy = reader.Enum("policy", MemoryBackend.Policies) ?? "default",
        Prealloc = reader.Bool("prealloc") ?? false,
        PreallocContext = reader.String("prealloc-context"),
        PreallocThreads = (uint?)reader.Unsigned("prealloc-threads", uint.MaxValue, "uint32_t"),
        Share = reader.Bool("share"),
        Reserve = reader.Bool("reserve") ?? true,
        Size = reader.RequiredSize("size"),
        UseCanonicalPath = reader.Bool("x-use-canonical-path-for-ramblock-id") ?? false,
    };
}
