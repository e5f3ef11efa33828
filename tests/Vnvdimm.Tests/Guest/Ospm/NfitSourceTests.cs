using Vnvdimm.Formats.Aml;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Formats.Aml.Asl;
using static Vnvdimm.Tests.Guest.Ospm.TestSsdt;

namespace Vnvdimm.Tests.Guest.Ospm;

/// <summary>
/// Where the NFIT driver gets its structures, as Linux 6.1's acpi_nfit_add: <c>_FIT</c> when it
/// evaluates (a non-Buffer or empty result means no NVDIMMs), the static NFIT when <c>_FIT</c> is
/// absent or fails, nothing at all without a static NFIT until a Notify(0x80).
/// </summary>
public sealed class NfitSourceTests
{
    [Theory]
    [InlineData("s3")]
    [InlineData("s4")]
    [InlineData("s1")]
    public void Qemus_own_nfit_names_devices_as_linux_did(string name)
    {
        // QEMU's captured NFIT as the static table; NVxx without _DSM, so the DIMMs are label-less,
        // as every captured configuration looked to Linux at boot.
        byte[] nfit = File.ReadAllBytes(System.IO.Path.Combine(ReferenceData.Case(name), "NFIT"));
        var firmware = new GuestTestFirmware(Ssdt(Dimm(0), Dimm(1), Dimm(2), Dimm(3)), nfit);
        using LinuxGuest guest = firmware.Boot();

        Assert.Equal(GuestReferenceCases.ExpectedList(name), Run(guest, "ndctl list -DRNiu"));
    }

    [Fact]
    public void Unarmed_dimm_makes_its_region_read_only()
    {
        byte[] nfit = File.ReadAllBytes(System.IO.Path.Combine(ReferenceData.Case("s4"), "NFIT"));
        using LinuxGuest guest = new GuestTestFirmware(Ssdt(Dimm(0)), nfit).Boot();

        NdRegion region = Assert.Single(guest.NvdimmBuses.Single().Regions);
        Assert.True(region.IsReadOnly);
        Assert.True(region.Mappings.Single().Dimm.IsUnarmed);
        Assert.Equal(NdPersistenceDomain.MemoryController, region.PersistenceDomain);
        Assert.Contains("nfit ACPI0012:00: Error found in NVDIMM nmem0 flags: not_armed", guest.Log.Lines);
    }

    [Fact]
    public void Fit_that_evaluates_replaces_the_static_table()
    {
        byte[] ssdt = Ssdt(FitReturning(new AmlBuffer(Fit(0, 1))), Dimm(0), Dimm(1));
        using LinuxGuest guest = new GuestTestFirmware(ssdt, NfitTable(0)).Boot();

        NvdimmBus bus = guest.NvdimmBuses.Single();
        Assert.Equal([1u, 2u], bus.Dimms.Select(d => d.Handle));
        Assert.Equal(2, bus.Regions.Count);
    }

    [Fact]
    public void Empty_fit_means_no_nvdimms_even_with_a_static_table()
    {
        byte[] ssdt = Ssdt(FitReturning(new AmlBuffer([])), Dimm(0));
        using LinuxGuest guest = new GuestTestFirmware(ssdt, NfitTable(0)).Boot();

        Assert.Equal(string.Empty, Run(guest, "ndctl list -DRNiu"));
    }

    [Fact]
    public void Fit_that_is_not_a_buffer_is_ignored_and_nothing_is_parsed()
    {
        byte[] ssdt = Ssdt(FitReturning(Int(7)), Dimm(0));
        using LinuxGuest guest = new GuestTestFirmware(ssdt, NfitTable(0)).Boot();

        Assert.Equal(string.Empty, Run(guest, "ndctl list -DRNiu"));
        Assert.Contains("nfit ACPI0012:00: invalid type 1, ignoring _FIT", guest.Log.Lines);
    }

    [Fact]
    public void Fit_that_fails_to_evaluate_falls_back_to_the_static_table()
    {
        // Index past the end of a one-element package: an AML run-time error.
        var broken = new AmlMethod("_FIT", 0, serialized: true) { Return(DerefOf(Index(new AmlPackage(Int(1)), Int(5)))) };
        using LinuxGuest guest = new GuestTestFirmware(Ssdt(broken, Dimm(0)), NfitTable(0)).Boot();

        Assert.Equal([1u], guest.NvdimmBuses.Single().Dimms.Select(d => d.Handle));
    }

    [Fact]
    public void Without_a_static_nfit_the_fit_is_read_only_after_notify()
    {
        var firmware = new GuestTestFirmware(Ssdt([.. FitFromMemory(), Dimm(0), Dimm(1)]));
        using LinuxGuest guest = firmware.Boot();
        Assert.Empty(guest.NvdimmBuses);
        Assert.Contains("nfit ACPI0012:00: failed to find NFIT at startup", guest.Log.Lines);

        WriteFit(firmware, Fit(0, 1));
        firmware.Bus.SetGpe0Status(4);
        guest.Settle();

        Assert.Equal(["nmem0", "nmem1"], guest.NvdimmBuses.Single().Dimms.Select(d => d.Name));
        Assert.Equal(0UL, firmware.Bus.Gpe0Status);
    }

    internal static void WriteFit(GuestTestFirmware firmware, byte[] fit)
    {
        byte[] data = [.. BitConverter.GetBytes((uint)fit.Length), .. fit];
        Assert.True(firmware.Memory.TryWrite(new Vnvdimm.Platform.Memory.GuestAddress(FitAddress), data));
    }
}
