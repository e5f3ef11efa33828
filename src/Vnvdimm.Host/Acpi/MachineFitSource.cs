using Vnvdimm.Host.Dsm;
using Vnvdimm.Host.Machine;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// The FIT the _DSM "Read FIT" function serves: the NFIT structures of the machine's NVDIMMs as
/// they are now. Read only when the mailbox takes a snapshot (at each plug), so built on demand.
/// </summary>
public sealed class MachineFitSource(VirtualMachine machine) : IFitSource
{
    public ReadOnlyMemory<byte> CurrentFit => NfitBuilder.BuildFit(VirtualMachineAcpi.Describe(machine));
}
