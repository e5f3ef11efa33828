namespace Vnvdimm.Host.Backends;

/// <summary>memory-backend-ram: anonymous memory, private unless share=on.</summary>
public sealed class RamBackend : MemoryBackend
{
    public const string Type = "memory-backend-ram";

    /// <summary>QEMU_VMALLOC_ALIGN on x86_64 Linux: anonymous RAM is mapped 2 MiB aligned.</summary>
    public const ulong AnonymousAlignment = 2UL << 20;

    private readonly string? _regionName;

    internal RamBackend(string id, CommonProperties common, IReadOnlyList<string> given, StderrSink? stderr, string? regionName = null)
        : base(id, common, given, stderr) => _regionName = regionName;

    public override string TypeName => Type;

    public override string RegionName => _regionName ?? base.RegionName;

    /// <summary>
    /// The implicit guest-RAM backend QEMU 7.2 creates for -m on pc/q35 ("pc.ram", listed by
    /// info memdev): memory-backend-ram, share off, merge and dump on.
    /// </summary>
    public static RamBackend CreateMainRam(ulong size, StderrSink? stderr = null) =>
        new("pc.ram", new CommonProperties { Size = size }, [], stderr, regionName: "pc.ram");

    private protected override (ulong PageSize, ulong Alignment) PlanMapping(IBackingStoreInspector inspector) =>
        ((ulong)Environment.SystemPageSize, AnonymousAlignment);

    private protected override Mapping Map()
    {
        ulong pageSize = (ulong)Environment.SystemPageSize;
        ulong size = RamMmap.AlignUp(Size, pageSize);
        var request = new RamMmap.Request(null, size, AnonymousAlignment, ReadOnly: false, Share, Sync: false, NoReserve: !Reserve, 0);
        MappedRegion region = RamMmap.Map(request, Stderr, out int errno, out _)
            ?? throw BackendMessages.CannotSetUpRam(RegionName, errno);
        return new Mapping(region, null, pageSize, AnonymousAlignment, MapSync: false);
    }
}
