using System.Numerics;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>memory-backend-memfd: an anonymous memfd, shared by default, sealed against resizing.</summary>
public sealed class MemfdBackend : MemoryBackend
{
    public const string Type = "memory-backend-memfd";

    private const int Seals = Libc.F_SEAL_GROW | Libc.F_SEAL_SHRINK | Libc.F_SEAL_SEAL;

    private MemfdBackend(string id, CommonProperties common, IReadOnlyList<string> given, StderrSink? stderr)
        : base(id, common, given, stderr, defaultShare: true)
    {
    }

    public override string TypeName => Type;

    public bool Hugetlb { get; private init; }

    /// <summary>The hugetlbsize property; 0 means the system default huge page size.</summary>
    public ulong HugetlbSize { get; private init; }

    public bool Seal { get; private init; } = true;

    internal static MemfdBackend Read(string id, CommonProperties common, OptsReader reader, StderrSink? stderr)
    {
        bool hugetlb = reader.Bool("hugetlb") ?? false;
        ulong? hugetlbSize = reader.Size("hugetlbsize");
        bool seal = reader.Bool("seal") ?? true;
        return new MemfdBackend(id, common, reader.VisitedPresent, stderr)
        {
            Hugetlb = hugetlb,
            HugetlbSize = hugetlbSize ?? 0,
            Seal = seal,
        };
    }

    private protected override void ValidateProperty(string name)
    {
        if (name == "hugetlbsize" && HugetlbSize == 0)
        {
            throw BackendMessages.ZeroQualifiedProperty(Type, "hugetlbsize");
        }
    }

    // A memfd is anonymous: its page size is the huge page size with hugetlb=on (the system
    // default when hugetlbsize is 0), else the host page size; nothing to inspect on disk.
    private protected override (ulong PageSize, ulong Alignment) PlanMapping(IBackingStoreInspector inspector)
    {
        int shift = HugetlbSize == 0 ? 0 : BitOperations.TrailingZeroCount(HugetlbSize);
        if (shift != 0 && 1UL << shift != HugetlbSize)
        {
            throw BackendMessages.HugepageSizeNotPowerOfTwo();
        }
        ulong pageSize = !Hugetlb ? (ulong)Environment.SystemPageSize : HugetlbSize != 0 ? HugetlbSize : DefaultHugePageSize;
        if (Hugetlb && Size % pageSize != 0)
        {
            // ftruncate of a hugetlb memfd to a size that is not a whole number of huge pages.
            throw BackendMessages.MemfdResize(Size, Libc.EINVAL);
        }
        // Then the mapping checks over the sized memfd.
        var sized = new BackingStore { Path = Type, Kind = BackingStoreKind.File, Size = (long)Math.Min(Size, long.MaxValue), PageSize = pageSize };
        return FdRamBlock.Plan(new FdRamBlock.Request(Size, Align: 0, ReadOnly: false, Share, Pmem: false, NoReserve: !Reserve), sized);
    }

    // /proc/meminfo's Hugepagesize, 2 MiB on x86_64 when it cannot be read.
    private static ulong DefaultHugePageSize
    {
        get
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/meminfo"))
                {
                    if (line.StartsWith("Hugepagesize:", StringComparison.Ordinal)
                        && ulong.TryParse(line["Hugepagesize:".Length..].Trim().Split(' ')[0], out ulong kib))
                    {
                        return kib << 10;
                    }
                }
            }
            catch (IOException)
            {
            }
            return 2UL << 20;
        }
    }

    private protected override Mapping Map()
    {
        // QEMU checks the size even when hugetlb is off.
        int shift = HugetlbSize == 0 ? 0 : BitOperations.TrailingZeroCount(HugetlbSize);
        if (shift != 0 && 1UL << shift != HugetlbSize)
        {
            throw BackendMessages.HugepageSizeNotPowerOfTwo();
        }
        uint flags = Libc.MFD_CLOEXEC | (Seal ? Libc.MFD_ALLOW_SEALING : 0);
        if (Hugetlb)
        {
            flags |= Libc.MFD_HUGETLB | ((uint)shift << Libc.MFD_HUGE_SHIFT);
        }
        SafeFdHandle fd = Libc.memfd_create(Type, flags);
        if (fd.IsInvalid)
        {
            int errno = Libc.Errno;
            fd.Dispose();
            throw BackendMessages.MemfdCreate(flags, errno);
        }
        try
        {
            if (Libc.ftruncate(fd, (long)Size) != 0)
            {
                throw BackendMessages.MemfdResize(Size, Libc.Errno);
            }
            if (Seal && Libc.fcntl(fd, Libc.F_ADD_SEALS, Seals) != 0)
            {
                throw BackendMessages.MemfdSeal(Seals, Libc.Errno);
            }
            var request = new FdRamBlock.Request(Size, Align: 0, ReadOnly: false, Share, Pmem: false, NoReserve: !Reserve);
            FdRamBlock.Result result = FdRamBlock.Map(fd, request, Stderr);
            return new Mapping(result.Region, fd, result.PageSize, result.Alignment, MapSync: false);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }
}
