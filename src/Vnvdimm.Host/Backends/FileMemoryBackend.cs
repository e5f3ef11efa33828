using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// memory-backend-file: a file, a directory (an unlinked temporary file in it) or a device-dax
/// character device. Existing non-empty files are never resized.
/// </summary>
public sealed class FileMemoryBackend : MemoryBackend
{
    public const string Type = "memory-backend-file";

    private FileMemoryBackend(string id, CommonProperties common, IReadOnlyList<string> given, StderrSink? stderr, string memPath)
        : base(id, common, given, stderr) => MemPath = memPath;

    public override string TypeName => Type;

    public string MemPath { get; }

    /// <summary>The align property; 0 means the backing page size.</summary>
    public ulong Align { get; private init; }

    public bool DiscardData { get; private init; }

    /// <summary>The pmem property (Debian's 7.2 is built with libpmem, so it exists).</summary>
    public bool Pmem { get; private init; }

    public bool ReadOnly { get; private init; }

    public override bool IsReadOnly => ReadOnly;

    public override bool IsPmem => Pmem;

    internal static FileMemoryBackend Read(string id, CommonProperties common, OptsReader reader, StderrSink? stderr)
    {
        ulong align = reader.Size("align") ?? 0;
        bool discardData = reader.Bool("discard-data") ?? false;
        string memPath = reader.RequiredString("mem-path");
        bool pmem = reader.Bool("pmem") ?? false;
        bool readOnly = reader.Bool("readonly") ?? false;
        return new FileMemoryBackend(id, common, reader.VisitedPresent, stderr, memPath)
        {
            Align = align,
            DiscardData = discardData,
            Pmem = pmem,
            ReadOnly = readOnly,
        };
    }

    /// <summary>
    /// The dry run of <see cref="Map"/>: the open (read-only with readonly=on; a missing file or a
    /// folder would be created in), then the shared size/align/page checks.
    /// </summary>
    private protected override (ulong PageSize, ulong Alignment) PlanMapping(IBackingStoreInspector inspector)
    {
        BackingStore store = inspector.Inspect(MemPath);
        int errno = store.Kind switch
        {
            BackingStoreKind.Missing or BackingStoreKind.Directory => store.WriteOpenErrno,
            _ => ReadOnly ? store.ReadOpenErrno : store.WriteOpenErrno,
        };
        if (errno != 0)
        {
            throw BackendMessages.CannotOpen(MemPath, errno);
        }
        var request = new FdRamBlock.Request(Size, Align, ReadOnly, Share, Pmem, NoReserve: !Reserve);
        return FdRamBlock.Plan(request, store);
    }

    private protected override Mapping Map()
    {
        SafeFdHandle fd = Open(out bool created);
        try
        {
            var request = new FdRamBlock.Request(Size, Align, ReadOnly, Share, Pmem, NoReserve: !Reserve);
            FdRamBlock.Result result = FdRamBlock.Map(fd, request, Stderr);
            return new Mapping(result.Region, fd, result.PageSize, result.Alignment, result.MapSync, created ? MemPath : null);
        }
        catch
        {
            // A file this call created is removed again; anything pre-existing stays untouched.
            if (created)
            {
                Libc.unlink(MemPath);
            }
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// QEMU 7.2's file_ram_open. Note that 7.2 creates a missing file even with readonly=on
    /// (read-write, 0644); only the open of an existing file honours readonly.
    /// </summary>
    private SafeFdHandle Open(out bool created)
    {
        created = false;
        // O_CLOEXEC (QEMU has none) keeps guest memory out of processes we start.
        while (true)
        {
            SafeFdHandle fd = Libc.open(MemPath, (ReadOnly ? Libc.O_RDONLY : Libc.O_RDWR) | Libc.O_CLOEXEC, 0);
            if (!fd.IsInvalid)
            {
                return fd;
            }
            int errno = Libc.Errno;
            fd.Dispose();
            if (errno == Libc.ENOENT)
            {
                fd = Libc.open(MemPath, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0b110_100_100);
                if (!fd.IsInvalid)
                {
                    created = true;
                    return fd;
                }
                errno = Libc.Errno;
                fd.Dispose();
            }
            else if (errno == Libc.EISDIR)
            {
                SafeFdHandle? temporary = CreateTemporary(out errno);
                if (temporary is not null)
                {
                    return temporary;
                }
            }
            // EEXIST: something created the file between the two opens; EINTR: just retry.
            if (errno != Libc.EEXIST && errno != Libc.EINTR)
            {
                throw BackendMessages.CannotOpen(MemPath, errno);
            }
        }
    }

    // mkstemp (mode 0600) of "<dir>/qemu_back_mem.<region>.XXXXXX", unlinked at once so it
    // disappears with the last reference.
    private SafeFdHandle? CreateTemporary(out int errno)
    {
        string sanitized = RegionName.Replace('/', '_');
        SafeFdHandle fd = Libc.mkostemp($"{MemPath}/qemu_back_mem.{sanitized}.XXXXXX", Libc.O_CLOEXEC, out string path);
        if (fd.IsInvalid)
        {
            errno = Libc.Errno;
            fd.Dispose();
            return null;
        }
        errno = 0;
        Libc.unlink(path);
        return fd;
    }

    private protected override void OnUnmapping(MappedRegion region)
    {
        if (DiscardData)
        {
            // QEMU punches the contents out with MADV_REMOVE; on a private or read-only mapping
            // the kernel refuses and QEMU ignores that, so the file is left alone.
            region.Advise(0, Size, Libc.MADV_REMOVE);
        }
    }
}
