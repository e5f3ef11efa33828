using System.Buffers;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Interop;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// A host memory backend (QEMU's memory-backend-file, -ram or -memfd object): the host memory
/// behind guest RAM or an NVDIMM.
/// </summary>
/// <remarks>
/// QEMU 7.2 checks an -object in three phases, and so does this type:
/// <list type="number">
/// <item><see cref="Create"/> parses the option (types, required and unknown members). QEMU
/// prints these errors after the -object text: the caller adds it with WithLocation.</item>
/// <item><see cref="Validate"/> runs the property setters' checks (size=0, prealloc-threads=0,
/// prealloc with reserve=off, host-nodes values). QEMU prints these without a location.</item>
/// <item><see cref="Allocate"/> validates, then opens/creates and maps, applies merge/dump,
/// checks policy/host-nodes, binds, preallocates. Also reported without a location.</item>
/// </list>
/// </remarks>
public abstract class MemoryBackend : IDisposable
{
    /// <summary>QEMU's MAX_NODES: host-nodes values must be below it.</summary>
    public const int MaxNodes = 128;

    internal static readonly string[] Policies = ["default", "preferred", "bind", "interleave"];

    private readonly object _gate = new();
    private readonly IReadOnlyList<string> _givenProperties;
    private readonly IReadOnlyList<ulong> _hostNodeValues;
    private MappedRegion? _region;
    private SafeFdHandle? _fd;
    private ulong _pageSize;
    private ulong _alignment;
    private bool _mapSync;
    private bool _planned;
    private bool _disposed;
    private readonly bool? _merge;
    private readonly bool? _dump;
    private bool _machineMerge = true;
    private bool _machineDump = true;

    /// <param name="given">The properties given on the command line, in schema order; they decide the order of <see cref="Validate"/>.</param>
    private protected MemoryBackend(string id, CommonProperties common, IReadOnlyList<string> given, StderrSink? stderr, bool defaultShare = false)
    {
        Id = id;
        Size = common.Size;
        Share = common.Share ?? defaultShare;
        _merge = common.Merge;
        _dump = common.Dump;
        Prealloc = common.Prealloc;
        PreallocThreads = common.PreallocThreads;
        PreallocContext = common.PreallocContext;
        Reserve = common.Reserve;
        Policy = common.Policy;
        UseCanonicalPathForRamblockId = common.UseCanonicalPath;
        _hostNodeValues = common.HostNodes;
        HostNodes = common.HostNodes.Where(n => n < MaxNodes).Select(n => (ushort)n).Distinct().Order().ToArray();
        _givenProperties = given.ToArray();
        Stderr = stderr ?? StderrSink.Console("qemu-system-x86_64");
    }

    public string Id { get; }

    /// <summary>The QOM type, e.g. "memory-backend-file".</summary>
    public abstract string TypeName { get; }

    /// <summary>The size property in bytes (the mapping is this rounded up to whole pages).</summary>
    public ulong Size { get; }

    public bool Share { get; }

    /// <summary>The merge property; unset, it follows the machine's mem-merge (on by default).</summary>
    public bool Merge => _merge ?? _machineMerge;

    /// <summary>The dump property; unset, it follows the machine's dump-guest-core (on by default).</summary>
    public bool Dump => _dump ?? _machineDump;

    public bool Prealloc { get; }

    /// <summary>The prealloc-threads property, or null for the default (the number of -smp CPUs).</summary>
    public uint? PreallocThreads { get; }

    public string? PreallocContext { get; }

    public bool Reserve { get; }

    /// <summary>default, preferred, bind or interleave.</summary>
    public string Policy { get; }

    /// <summary>Host NUMA nodes, ascending, as "info memdev" lists them.</summary>
    public IReadOnlyList<ushort> HostNodes { get; }

    public bool UseCanonicalPathForRamblockId { get; }

    /// <summary>The memory region name: the id, or "/objects/id" with x-use-canonical-path-for-ramblock-id.</summary>
    public virtual string RegionName => UseCanonicalPathForRamblockId ? $"/objects/{Id}" : Id;

    /// <summary>Where diagnostics (warnings, perror lines) go.</summary>
    public StderrSink Stderr { get; }

    /// <summary>
    /// The memory-region alignment a DIMM inherits: file = max(backing page size, align),
    /// memfd = its page size, ram = 2 MiB. Known once mapped.
    /// </summary>
    public ulong Alignment => IsMapped || _planned ? _alignment : throw NotMapped();

    /// <summary>The backing page size (the huge page size on hugetlbfs). Known once mapped (or planned).</summary>
    public ulong PageSize => IsMapped || _planned ? _pageSize : throw NotMapped();

    /// <summary>True after <see cref="Plan"/>: page size and alignment are known, nothing is mapped.</summary>
    public bool IsPlanned => _planned;

    /// <summary>ROM: only a file backend with readonly=on.</summary>
    public virtual bool IsReadOnly => false;

    public virtual bool IsPmem => false;

    /// <summary>True when the mapping got MAP_SYNC (pmem=on, share=on on a DAX file or device).</summary>
    public bool IsMapSync => _mapSync;

    public bool IsMapped => _region is { IsDisposed: false };

    /// <summary>Set by a device that uses this backend; object-del refuses backends in use.</summary>
    public bool InUse { get; set; }

    internal MappedRegion? Region => _region;

    internal SafeFdHandle? Fd => _fd;

    private protected bool IsFdShared => _fd is not null && Share;

    /// <summary>Parses an -object option for a memory backend, as QEMU 7.2 does; touches nothing on disk.</summary>
    /// <param name="typeName">The qom-type ("memory-backend-file", "memory-backend-ram", "memory-backend-memfd").</param>
    /// <param name="opts">The whole -object argument, parsed with implied key "qom-type".</param>
    /// <exception cref="QemuOptionException">A parse error, without location (QEMU prints the -object text before it).</exception>
    public static MemoryBackend Create(string typeName, QemuOpts opts, StderrSink? stderr = null)
    {
        var reader = new OptsReader(opts);
        // QemuOpts checks the id while parsing, before anything else.
        string? id = reader.Peek("id");
        if (id is not null && !IsWellFormedId(id))
        {
            throw BackendMessages.BadId();
        }
        if (string.IsNullOrEmpty(typeName))
        {
            throw BackendMessages.MissingParameter("qom-type");
        }
        if (typeName is not (FileMemoryBackend.Type or RamBackend.Type or MemfdBackend.Type))
        {
            throw BackendMessages.BadEnum("qom-type", typeName);
        }
        reader.Processed("qom-type");
        id = reader.String("id") ?? throw BackendMessages.MissingParameter("id");
        return Read(typeName, id, reader, stderr);
    }

    /// <summary>
    /// Parses a JSON -object ("{"qom-type":…,"id":…,…}") as QEMU 7.2's QObject input visitor
    /// does: typed members, "Invalid parameter type for …" and "Parameter '…' is unexpected". The
    /// id's form is checked later, when the object is created (<see cref="Validate"/>), as QEMU does.
    /// </summary>
    public static MemoryBackend Create(QemuJsonObject json, StderrSink? stderr = null)
    {
        var reader = new OptsReader(json);
        string typeName = reader.Enum("qom-type", [FileMemoryBackend.Type, MemfdBackend.Type, RamBackend.Type])
            ?? throw BackendMessages.MissingParameter("qom-type");
        string id = reader.String("id") ?? throw BackendMessages.MissingParameter("id");
        MemoryBackend backend = Read(typeName, id, reader, stderr);
        backend.CheckIdWhenCreated = true;
        return backend;
    }

    // The members after qom-type and id, in schema order, then the leftover check.
    private static MemoryBackend Read(string typeName, string id, OptsReader reader, StderrSink? stderr)
    {
        var common = CommonProperties.Read(reader);
        MemoryBackend backend = typeName switch
        {
            FileMemoryBackend.Type => FileMemoryBackend.Read(id, common, reader, stderr),
            MemfdBackend.Type => MemfdBackend.Read(id, common, reader, stderr),
            _ => new RamBackend(id, common, reader.VisitedPresent, stderr),
        };
        reader.CheckAllProcessed();
        return backend;
    }

    /// <summary>
    /// host_memory_backend_init takes the merge and dump defaults from the machine
    /// (mem-merge, dump-guest-core); vnvdimm parses -object earlier, so the machine sets them
    /// before allocation.
    /// </summary>
    public void SetMachineDefaults(bool memMerge, bool dumpGuestCore)
    {
        _machineMerge = memMerge;
        _machineDump = dumpGuestCore;
    }

    /// <summary>QEMU's id_wellformed.</summary>
    public static bool IsWellFormedId(string id) =>
        id.Length > 0 && char.IsAsciiLetter(id[0]) && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_');

    /// <summary>
    /// The property setters' checks, in the order QEMU 7.2 sets the properties (its QDict order),
    /// so the same error wins when several are wrong. No disk access.
    /// </summary>
    /// <summary>A JSON -object's id is checked by user_creatable_add_type, before the properties are set.</summary>
    private bool CheckIdWhenCreated { get; set; }

    public void Validate()
    {
        if (CheckIdWhenCreated && !IsWellFormedId(Id))
        {
            throw BackendMessages.BadId();
        }
        bool reserve = true;
        bool prealloc = false;
        foreach (string name in QDictOrder.Order(_givenProperties))
        {
            switch (name)
            {
                case "size" when Size == 0:
                    throw BackendMessages.ZeroProperty("size", TypeName);
                case "prealloc-threads" when PreallocThreads == 0:
                    throw BackendMessages.ZeroProperty("prealloc-threads", TypeName);
                case "reserve":
                    if (prealloc && !Reserve)
                    {
                        throw BackendMessages.PreallocWithoutReserve();
                    }
                    reserve = Reserve;
                    break;
                case "prealloc":
                    if (Prealloc && !reserve)
                    {
                        throw BackendMessages.PreallocWithoutReserve();
                    }
                    prealloc = Prealloc;
                    break;
                case "host-nodes":
                    foreach (ulong node in _hostNodeValues)
                    {
                        if (node >= MaxNodes)
                        {
                            throw BackendMessages.InvalidHostNode(node);
                        }
                    }
                    break;
                case "prealloc-context":
                    // vnvdimm has no thread-context objects, so no id can resolve.
                    throw BackendMessages.DeviceNotFound(PreallocContext!);
                default:
                    ValidateProperty(name);
                    break;
            }
        }
    }

    /// <summary>Setter checks of type-specific properties.</summary>
    private protected virtual void ValidateProperty(string name)
    {
    }

    /// <summary>
    /// Creates or opens and maps the memory (idempotent). No page is touched unless prealloc=on.
    /// </summary>
    /// <param name="preallocThreads">QEMU's default for prealloc-threads: the number of -smp CPUs (1 if unknown).</param>
    /// <exception cref="QemuOptionException">QEMU's error, without location.</exception>
    public void Allocate(int preallocThreads)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_region is not null)
            {
                return;
            }
            Validate();
            Mapping mapping = Map();
            try
            {
                Complete(mapping, preallocThreads);
            }
            catch
            {
                // QEMU exits here and leaves a file it created behind (after a failed prealloc,
                // with every block the file system could give it); vnvdimm removes a file it
                // created for a refused configuration. A pre-existing file is left as it is.
                mapping.Region.Dispose();
                mapping.Fd?.Dispose();
                if (mapping.CreatedPath is not null)
                {
                    Libc.unlink(mapping.CreatedPath);
                }
                throw;
            }
            _fd = mapping.Fd;
            _pageSize = mapping.PageSize;
            _alignment = mapping.Alignment;
            _mapSync = mapping.MapSync;
            _region = mapping.Region;
        }
    }

    /// <summary>
    /// The dry run of <see cref="Allocate"/>: the same validation and allocation checks, with the
    /// same messages, over what <paramref name="inspector"/> finds, but nothing is created, opened
    /// for writing, sized or mapped. Afterwards <see cref="PageSize"/> and <see cref="Alignment"/> are known.
    /// </summary>
    /// <exception cref="QemuOptionException">What <see cref="Allocate"/> would throw, without location.</exception>
    public void Plan(IBackingStoreInspector inspector)
    {
        ArgumentNullException.ThrowIfNull(inspector);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_region is not null || _planned)
            {
                return;
            }
            Validate();
            (ulong pageSize, ulong alignment) = PlanMapping(inspector);
            CheckPolicy();
            _pageSize = pageSize;
            _alignment = alignment;
            _planned = true;
        }
    }

    /// <summary>What <see cref="Map"/> would give (page size, alignment), and its refusals; touches nothing.</summary>
    private protected abstract (ulong PageSize, ulong Alignment) PlanMapping(IBackingStoreInspector inspector);

    /// <param name="CreatedPath">The file this allocation created (removed again if allocation fails), or null.</param>
    private protected readonly record struct Mapping(MappedRegion Region, SafeFdHandle? Fd, ulong PageSize, ulong Alignment, bool MapSync, string? CreatedPath = null);

    /// <summary>Opens/creates and maps the memory; QEMU's per-type "alloc".</summary>
    private protected abstract Mapping Map();

    // host_memory_backend_memory_complete after the alloc, plus ram_block_add's advice.
    private void Complete(Mapping mapping, int preallocThreads)
    {
        MappedRegion region = mapping.Region;
        region.Advise(Libc.MADV_HUGEPAGE);
        // The child of a fork (Process.Start) must not inherit guest memory.
        region.Advise(Libc.MADV_DONTFORK);
        if (Merge)
        {
            region.Advise(0, Size, Libc.MADV_MERGEABLE);
        }
        if (!Dump)
        {
            region.Advise(0, Size, Libc.MADV_DONTDUMP);
        }

        int mode = CheckPolicy();
        int lastNode = HostNodes.Count == 0 ? -1 : HostNodes[^1];
        ulong maxNode = (ulong)(lastNode + 1);
        if (maxNode != 0)
        {
            // MAX_NODES + 1 bits: the kernel cuts off the last node of maxnode, so QEMU passes maxnode + 1.
            Span<ulong> mask = stackalloc ulong[(MaxNodes + 1 + 63) / 64];
            foreach (ushort node in HostNodes)
            {
                mask[node / 64] |= 1UL << (node % 64);
            }
            if (Libc.mbind(region.Address, (nuint)Size, mode, mask, (nuint)(maxNode + 1), Libc.MPOL_MF_STRICT | Libc.MPOL_MF_MOVE) != 0)
            {
                int errno = Libc.Errno;
                if (mode != Libc.MPOL_DEFAULT || errno != Libc.ENOSYS)
                {
                    throw BackendMessages.CannotBind(errno);
                }
            }
        }

        // Preallocate after binding, so pages land on the requested nodes.
        if (Prealloc)
        {
            int threads = PreallocThreads is uint explicitThreads ? (int)Math.Min(explicitThreads, int.MaxValue) : Math.Max(preallocThreads, 1);
            Preallocator.Run(region, mapping.Fd, Share, Size, mapping.PageSize, threads, Id, Stderr);
        }
    }

    // host_memory_backend_memory_complete's policy checks, before mbind; returns the mode.
    private int CheckPolicy()
    {
        int mode = Array.IndexOf(Policies, Policy);
        bool anyNode = HostNodes.Count > 0;
        if (anyNode && mode == Libc.MPOL_DEFAULT)
        {
            throw BackendMessages.HostNodesForDefault();
        }
        if (!anyNode && mode != Libc.MPOL_DEFAULT)
        {
            throw BackendMessages.HostNodesMissing(Policy);
        }
        return mode;
    }

    /// <summary>Copies guest memory at <paramref name="offset"/> within the backend out; works for read-only backends too.</summary>
    /// <exception cref="InvalidOperationException">The backend is not mapped (ObjectDisposedException once disposed).</exception>
    public void Read(ulong offset, Span<byte> destination)
    {
        if (!TryRead(offset, destination))
        {
            throw NotMapped();
        }
    }

    /// <summary>Copies <paramref name="source"/> into guest memory at <paramref name="offset"/> within the backend.</summary>
    /// <exception cref="InvalidOperationException">The backend is not mapped, or is read-only.</exception>
    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        if (!TryWrite(offset, source))
        {
            throw NotMapped();
        }
    }

    /// <summary>As <see cref="Read"/>, but false instead of an exception when the backend is not (or no longer) mapped.</summary>
    public bool TryRead(ulong offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        return _region is { } region && region.TryRead(offset, destination);
    }

    /// <summary>As <see cref="Write"/>, but false instead of an exception when the backend is not (or no longer) mapped.</summary>
    /// <exception cref="InvalidOperationException">The backend is read-only.</exception>
    public bool TryWrite(ulong offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length);
        return _region is { } region && region.TryWrite(offset, source);
    }

    /// <summary>
    /// Zero-copy access: runs <paramref name="action"/> on a writable view of
    /// [<paramref name="offset"/>, +<paramref name="length"/>) while the mapping is leased, so the
    /// view cannot outlive it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The backend is not mapped, or is read-only.</exception>
    public void Access<TState>(ulong offset, int length, TState state, SpanAction<byte, TState> action)
    {
        CheckRange(offset, length);
        if (_region is not { } region || !region.TryAccess(offset, length, state, action))
        {
            throw NotMapped();
        }
    }

    private void CheckRange(ulong offset, int length)
    {
        if (length < 0 || offset > Size || (ulong)length > Size - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range 0x{offset:x}+0x{(uint)length:x} is outside backend '{Id}' of size 0x{Size:x}.");
        }
    }

    /// <summary>
    /// Makes QEMU's own writes in [offset, offset + length) durable: msync(MS_SYNC) on the
    /// page-aligned range of a shared fd-backed mapping; nothing for private or anonymous memory.
    /// </summary>
    /// <remarks>
    /// QEMU flushes pmem=on backends with libpmem's cache-line flush instead. .NET exposes no
    /// CLWB/CLFLUSHOPT, so after a full barrier we use msync, which on DAX (MAP_SYNC) mappings
    /// makes the kernel write back the CPU caches: as durable, only slower.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The backend is not mapped (ObjectDisposedException once disposed).</exception>
    public void Flush(ulong offset, ulong length)
    {
        if (!TryFlush(offset, length))
        {
            throw NotMapped();
        }
    }

    /// <summary>As <see cref="Flush"/>, but false instead of an exception when the backend is not (or no longer) mapped.</summary>
    public bool TryFlush(ulong offset, ulong length)
    {
        if (offset > Size || length > Size - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range 0x{offset:x}+0x{length:x} is outside backend '{Id}' of size 0x{Size:x}.");
        }
        if (_region is not { } region || !region.TryAcquire())
        {
            return false;
        }
        try
        {
            if (!IsFdShared || length == 0)
            {
                return true;
            }
            Interlocked.MemoryBarrier();
            ulong hostPage = (ulong)Environment.SystemPageSize;
            ulong start = offset & ~(hostPage - 1);
            ulong end = RamMmap.AlignUp(offset + length, hostPage);
            if (region.Sync(start, end - start, Libc.MS_SYNC) != 0)
            {
                Stderr.Report(BackendMessages.MsyncFailed(offset, length));
            }
            return true;
        }
        finally
        {
            region.Release();
        }
    }

    private InvalidOperationException NotMapped() =>
        _disposed ? new ObjectDisposedException(GetType().FullName) : new InvalidOperationException($"Memory backend '{Id}' is not allocated.");

    /// <summary>Runs right before the munmap, once no access is running (discard-data).</summary>
    private protected virtual void OnUnmapping(MappedRegion region)
    {
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            // The munmap (and discard-data before it) waits for accesses still running; the fd
            // is not needed by the mapping.
            _region?.Dispose(OnUnmapping);
            _fd?.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
