using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// Every user-visible text of the backends, worded exactly as QEMU 7.2 prints it (each checked
/// against Debian's qemu-system-x86_64 7.2). Hex values use QEMU's %llx: lower case, no padding.
/// </summary>
internal static class BackendMessages
{
    // Option parsing (QemuOpts + OptsVisitor). QEMU prints these after the -object text.
    public static QemuOptionException MissingParameter(string name) => new($"Parameter '{name}' is missing");
    public static QemuOptionException InvalidParameter(string name) => new($"Invalid parameter '{name}'");
    public static QemuOptionException BadEnum(string name, string value) => new($"Parameter '{name}' does not accept value '{value}'");
    public static QemuOptionException Expects(string name, string what) => new($"Parameter '{name}' expects {what}");
    public static QemuOptionException BadId() =>
        new("Parameter 'id' expects an identifier\nIdentifiers consist of letters, digits, '-', '.', '_', starting with a letter.");

    // Property setters, run when the object is created; QEMU prints them without a location.
    public static QemuOptionException ZeroProperty(string property, string typeName) => new($"property '{property}' of {typeName} doesn't take value '0'");
    public static QemuOptionException ZeroQualifiedProperty(string typeName, string property) => new($"Property '{typeName}.{property}' doesn't take value '0'");
    public static QemuOptionException PreallocWithoutReserve() => new("'prealloc=on' and 'reserve=off' are incompatible");
    public static QemuOptionException InvalidHostNode(ulong node) => new($"Invalid host-nodes value: {node}");
    public static QemuOptionException DeviceNotFound(string id) => new($"Device '{id}' not found");

    // Completion and allocation; also without a location.
    public static QemuOptionException HostNodesForDefault() =>
        new("host-nodes must be empty for policy default, or you should explicitly specify a policy other than default");
    public static QemuOptionException HostNodesMissing(string policy) => new($"host-nodes must be set for policy {policy}");
    public static QemuOptionException CannotBind(int errno) => WithErrno("cannot bind memory to host NUMA nodes", errno);
    public static QemuOptionException CannotOpen(string path, int errno) => WithErrno($"can't open backing store {path} for guest RAM", errno);
    public static QemuOptionException SizeMismatch(long fileSize, ulong size) => new($"backing store size 0x{fileSize:x} does not match 'size' option 0x{size:x}");
    public static QemuOptionException AlignNotPageMultiple(ulong align, ulong pageSize) => new($"alignment 0x{align:x} must be multiples of page size 0x{pageSize:x}");
    public static QemuOptionException AlignNotPowerOfTwo(ulong align) => new($"alignment 0x{align:x} must be a power of two");
    public static QemuOptionException SmallerThanPage(ulong size, ulong pageSize) => new($"memory size 0x{size:x} must be equal to or larger than page size 0x{pageSize:x}");
    public static QemuOptionException CannotMap(int errno) => WithErrno("unable to map backing store for guest RAM", errno);
    public static QemuOptionException CannotSetUpRam(string regionName, int errno) => WithErrno($"cannot set up guest memory '{regionName}'", errno);
    public static QemuOptionException HugepageSizeNotPowerOfTwo() => new("Hugepage size must be a power of 2");
    public static QemuOptionException MemfdCreate(uint flags, int errno) => WithErrno($"failed to create memfd with flags 0x{flags:x}", errno);
    public static QemuOptionException MemfdResize(ulong size, int errno) => WithErrno($"failed to resize memfd to {size}", errno);
    public static QemuOptionException MemfdSeal(int seals, int errno) => WithErrno($"failed to add seals 0x{seals:x}", errno);
    public static QemuOptionException PreallocFailed(int errno) => WithErrno("qemu_prealloc_mem: preallocating memory failed", errno);

    // Stderr lines that are not errors.
    public static string PersistenceFailed(string file) =>
        $"Warning: requesting persistence across crashes for backend file {file} failed. Proceeding without persistence, data might become corrupted in case of host crash.";
    public const string NonDaxPmemDeprecated = "warning: Using non DAX backing file with 'pmem=on' option is deprecated";
    public static string Perror(string function, int errno) => $"{function}: {Libc.StrError(errno)}";
    public static string NoReserveUnsupported(string why) => $"Skipping reservation of swap space is not supported: {why}";
    public static string MsyncFailed(ulong start, ulong length) => $"warning: qemu_ram_msync: failed to sync memory range: start: {start:x} length: {length:x}";

    /// <summary>QEMU's error_setg_errno: the message, ": ", then strerror.</summary>
    public static QemuOptionException WithErrno(string message, int errno) => new($"{message}: {Libc.StrError(errno)}");
}
