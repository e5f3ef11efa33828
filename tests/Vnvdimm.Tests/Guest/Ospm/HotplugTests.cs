using Vnvdimm.Cli;
using Vnvdimm.Guest;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.Ospm.TestSsdt;

namespace Vnvdimm.Tests.Guest.Ospm;

/// <summary>
/// NVDIMM hot-add as the guest sees it: GPE0 bit 4 runs <c>\_GPE._E04</c>, which notifies
/// <c>\_SB.NVDR</c> with 0x80; the NFIT driver re-reads <c>_FIT</c>, keeps what it knew and brings
/// the new DIMMs and regions online.
/// </summary>
public sealed class HotplugTests
{
    [Fact]
    public void A_second_nvdimm_plugged_into_the_machine_comes_online_as_linux_showed()
    {
        using var scratch = new ScratchDirectory("vnvdimm-hotplug-");
        string[] args = GuestReferenceCases.Arguments("hotplug", scratch.Path);
        using VirtualMachine machine = VirtualMachine.Create(args, new StderrSink(_ => { }, _ => { }));
        using LinuxGuest guest = GuestConsole.Boot(machine);
        Assert.Equal(GuestReferenceCases.ExpectedList("hotplug"), Run(guest, "ndctl list -DRNiu"));

        // What qmp-commands.jsonl did: object-add mem2 (a new 256 MiB file), device_add nvdimm2.
        machine.AddObject("object-add", QemuOpts.Parse($"memory-backend-file,id=mem2,share=on,mem-path={scratch.File("hpb.img")},size=256M", "qom-type"));
        MemoryDevice device = MemoryDeviceFactory.Create(
            QemuOpts.Parse("nvdimm,id=nvdimm2,memdev=mem2,label-size=128K", "driver"),
            machine.FindBackend,
            id => machine.MemoryDevices.Any(d => d.Id == id));
        // The hot plug raises GPE0 bit 4 and the SCI itself (QEMU's acpi_nvdimm_plug_cb).
        machine.PlugMemoryDevice(device, hotplug: true);

        string after = GuestReferenceCases.StripKernelMessages(File.ReadAllText(System.IO.Path.Combine(ReferenceData.Case("hotplug"), "ndctl-list-after-hotplug.json")));
        Assert.Equal(after, Run(guest, "ndctl list -DRNiu"));
        Assert.Equal(0UL, machine.Bus.Gpe0Status);
    }

    [Fact]
    public void Known_structures_keep_their_devices_and_new_ones_are_appended()
    {
        var firmware = new GuestTestFirmware(Ssdt([.. FitFromMemory(), Dimm(0), Dimm(1), Dimm(2)]), NfitTable(1));
        NfitSourceTests.WriteFit(firmware, Fit(1));
        using LinuxGuest guest = firmware.Boot();
        var region = guest.NvdimmBuses.Single().Regions.Single();

        // Slot 0 and 2 appear around the known slot 1 in the new FIT.
        NfitSourceTests.WriteFit(firmware, [.. Fit(0), .. Fit(1), .. Fit(2)]);
        firmware.Bus.SetGpe0Status(4);
        guest.Settle();

        var bus = guest.NvdimmBuses.Single();
        Assert.Equal([(0, 2u), (1, 1u), (2, 3u)], bus.Dimms.Select(d => (d.Id, d.Handle)));
        Assert.Same(region, bus.Regions[0]);
        Assert.Equal([2u, 1u, 3u], bus.Regions.Select(r => r.Mappings.Single().Dimm.Handle));
    }

    [Fact]
    public void A_fit_that_drops_a_structure_is_refused()
    {
        var firmware = new GuestTestFirmware(Ssdt([.. FitFromMemory(), Dimm(0), Dimm(1)]), NfitTable(0, 1));
        NfitSourceTests.WriteFit(firmware, Fit(0, 1));
        using LinuxGuest guest = firmware.Boot();

        NfitSourceTests.WriteFit(firmware, Fit(1));
        firmware.Bus.SetGpe0Status(4);
        guest.Settle();

        Assert.Equal(2, guest.NvdimmBuses.Single().Dimms.Count);
        Assert.Contains("nfit ACPI0012:00: new nfit deletes entries (unsupported)", guest.Log.Lines);
        Assert.Contains("nfit ACPI0012:00: failed to merge updated NFIT", guest.Log.Lines);
    }

    [Fact]
    public void A_gpe_without_a_method_is_cleared()
    {
        var firmware = new GuestTestFirmware(Ssdt(Dimm(0)), NfitTable(0));
        using LinuxGuest guest = firmware.Boot();

        firmware.Bus.SetGpe0Status(9);
        guest.Settle();

        Assert.Equal(0UL, firmware.Bus.Gpe0Status);
        Assert.Contains("ACPI: No handler or method for GPE 09, disabling event", guest.Log.Lines);
    }
}
