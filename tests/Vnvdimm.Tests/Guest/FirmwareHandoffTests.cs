using Vnvdimm.Guest;
using Vnvdimm.Guest.Boot;
using Vnvdimm.Guest.Kernel;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Guest;

/// <summary>The built-in firmware's handoff: an RSDP in the BIOS area leading to every table the guest needs.</summary>
public sealed class FirmwareHandoffTests
{
    [Fact]
    public void The_rsdp_leads_to_fadt_dsdt_ssdt_and_nfit()
    {
        using var scratch = new ScratchDirectory("vnvdimm-handoff-");
        using VirtualMachine machine = VirtualMachine.Create(GuestReferenceCases.Arguments("s3", scratch.Path), new StderrSink(_ => { }, _ => { }));

        FirmwareHandoff handoff = BuiltInFirmware.Boot(machine);

        Assert.InRange(handoff.Rsdp.Value, AcpiTableDirectory.BiosAreaStart, AcpiTableDirectory.BiosAreaEnd - 36);
        Assert.Equal(handoff.Rsdp, AcpiTableDirectory.FindRsdp(machine.AddressSpace));
        var log = new KernelLog();
        IReadOnlyList<AcpiTableEntry> tables = AcpiTableDirectory.Read(machine.AddressSpace, handoff.Rsdp, log);
        Assert.Equal(["FACP", "DSDT", "SSDT", "NFIT"], tables.Select(t => t.Signature));
        Assert.All(tables, t => Assert.True(t.ChecksumValid, t.Signature));
        Assert.DoesNotContain(log.Lines, l => l.Contains("Warning", StringComparison.Ordinal));
        // The guest sees the very tables the NVDIMM loader placed, at the same addresses.
        Assert.Equal(handoff.Tables.Find("SSDT")!.Bytes, tables.Single(t => t.Signature == "SSDT").Bytes);
        Assert.Equal(handoff.Tables.Find("NFIT")!.Address, tables.Single(t => t.Signature == "NFIT").Address);
        Assert.Equal(1, tables.Single(t => t.Signature == "DSDT").Header.Revision);
    }

    [Fact]
    public void The_guest_finds_the_rsdp_itself_and_loads_e04_with_32_bit_integers()
    {
        using var scratch = new ScratchDirectory("vnvdimm-handoff-");
        using VirtualMachine machine = VirtualMachine.Create(GuestReferenceCases.Arguments("s1", scratch.Path), new StderrSink(_ => { }, _ => { }));
        BuiltInFirmware.Boot(machine);

        using LinuxGuest guest = LinuxGuest.Boot(new Vnvdimm.Guest.Hardware.PlatformBusHardware(machine.Bus));

        Assert.Equal(32, guest.Acpi.IntegerWidth);
        Assert.Equal(Vnvdimm.Guest.Acpi.AcpiObjectType.Method, guest.Acpi.GetObjectType(@"\_GPE._E04"));
        Assert.Single(guest.NvdimmBuses.Single().Dimms);
    }
}
