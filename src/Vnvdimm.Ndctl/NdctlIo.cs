namespace Vnvdimm.Ndctl;

/// <summary>
/// Where a command's bytes go: stdout is binary (read-labels dumps raw label areas), stderr text.
/// <paramref name="OutputIsTerminal"/> mirrors ndctl's isatty(1), which makes a single JSON result
/// print as an object rather than a one-element array.
/// </summary>
public sealed record NdctlIo(Stream Output, TextWriter Error, Stream Input, bool OutputIsTerminal = false)
{
    /// <summary>uuid_generate: the source of uuids ndctl makes up (pfn/dax/btt uuids, namespaces without -u); tests pin it.</summary>
    public Func<Guid> NewUuid { get; init; } = Guid.NewGuid;

    /// <summary>Where -o/-i files are opened: the host's file system offline, the guest's folder in the guest.</summary>
    public INdctlFiles Files { get; init; } = HostFiles.Instance;
}
