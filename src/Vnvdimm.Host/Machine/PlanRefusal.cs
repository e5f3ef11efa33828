using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Host.Machine;

/// <summary>
/// An -object or -device a dry run (<see cref="VirtualMachine.Plan"/>) found QEMU would refuse,
/// with QEMU's error (its location as QEMU prints it: none for a backend's allocation errors).
/// </summary>
/// <param name="BackendId">The backend's id for an -object refusal; null for a -device.</param>
public sealed record PlanRefusal(VmOption Option, string? BackendId, QemuOptionException Error);
