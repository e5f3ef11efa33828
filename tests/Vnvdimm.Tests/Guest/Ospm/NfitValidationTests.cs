using System.Buffers.Binary;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Nd;
using static Vnvdimm.Tests.Guest.Ospm.TestSsdt;

namespace Vnvdimm.Tests.Guest.Ospm;

/// <summary>NFIT structure validation and association as Linux 6.1 does them (research/linux-ndctl-labels.md §1.3–§1.5).</summary>
public sealed class NfitValidationTests
{
    // vnvdimm's per-DIMM structures: SPA (56) + memory device map (48) + control region (80).
    private const int Spa = 0, Memdev = 56, Dcr = 104, PerDimm = 184;

    private static LinuxGuest Boot(byte[] fit, int dimms = 2) =>
        new GuestTestFirmware(Ssdt([.. Enumerable.Range(0, dimms).Select(slot => Dimm(slot))]), GuestTestFirmware.Nfit(fit)).Boot();

    [Fact]
    public void Unknown_structure_types_are_skipped()
    {
        byte[] unknown = [0x20, 0x00, 0x08, 0x00, 1, 2, 3, 4];
        using LinuxGuest guest = Boot([.. Fit(0), .. unknown, .. Fit(1)]);

        Assert.Equal(2, guest.NvdimmBuses.Single().Regions.Count);
        Assert.Contains("nfit ACPI0012:00: unknown table '32' parsing nfit", guest.Log.Lines);
    }

    [Theory]
    [InlineData(Memdev, 40)]
    [InlineData(Spa, 64)]
    [InlineData(Dcr, 24)]
    public void A_structure_of_the_wrong_size_aborts_the_whole_table(int structure, ushort length)
    {
        byte[] fit = Fit(0, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(fit.AsSpan(PerDimm + structure + 2), length);
        using LinuxGuest guest = Boot(fit);

        Assert.Empty(guest.NvdimmBuses.Single().Dimms);
        Assert.Contains(guest.Log.Lines, line => line.Contains("nfit table parsing error", StringComparison.Ordinal));
    }

    [Fact]
    public void A_zero_length_structure_ends_the_table()
    {
        byte[] fit = Fit(0, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(fit.AsSpan(PerDimm + Spa + 2), 0);
        using LinuxGuest guest = Boot(fit);

        Assert.Equal([1u], guest.NvdimmBuses.Single().Dimms.Select(d => d.Handle));
        Assert.Contains("nfit ACPI0012:00: found a zero length table '0' parsing nfit", guest.Log.Lines);
    }

    [Fact]
    public void A_memdev_naming_a_missing_control_region_stops_initialisation()
    {
        byte[] fit = Fit(0);
        BinaryPrimitives.WriteUInt16LittleEndian(fit.AsSpan(Dcr + 4), 9);
        using LinuxGuest guest = Boot(fit, dimms: 1);

        Assert.Empty(guest.NvdimmBuses.Single().Dimms);
        Assert.Contains("nfit ACPI0012:00: SPA 2 missing DCR 3", guest.Log.Lines);
    }

    [Fact]
    public void A_dimm_without_an_nvxx_device_is_not_registered_and_its_region_fails()
    {
        using LinuxGuest guest = Boot(Fit(0, 1), dimms: 1);

        NvdimmBus bus = guest.NvdimmBuses.Single();
        Assert.Equal([1u], bus.Dimms.Select(d => d.Handle));
        Assert.Equal(["region0"], bus.Regions.Select(r => r.Name));
        Assert.Contains("nfit ACPI0012:00: no ACPI.NFIT device with _ADR 0x2, disabling...", guest.Log.Lines);
        Assert.Contains("nfit ACPI0012:00: spa4 dimm: 0x2 not found", guest.Log.Lines);
    }

    [Fact]
    public void A_mapping_that_is_not_page_aligned_creates_no_region()
    {
        byte[] fit = Fit(0);
        BinaryPrimitives.WriteUInt64LittleEndian(fit.AsSpan(Memdev + 16), 0x800_0100);
        using LinuxGuest guest = Boot(fit, dimms: 1);

        NvdimmBus bus = guest.NvdimmBuses.Single();
        Assert.Single(bus.Dimms);
        Assert.Empty(bus.Regions);
        Assert.Contains("ndbus0: nvdimm_pmem_region_create: nmem0 mapping0 is not 4096 aligned", guest.Log.Lines);
    }

    [Theory]
    [InlineData(3, 1, NdPersistenceDomain.CpuCache)]
    [InlineData(2, 1, NdPersistenceDomain.MemoryController)]
    [InlineData(3, 0, NdPersistenceDomain.CpuCache)]
    [InlineData(2, 0, NdPersistenceDomain.Unknown)]
    public void Platform_capabilities_are_masked_to_the_highest_valid_bit(uint capabilities, byte highest, NdPersistenceDomain expected)
    {
        byte[] caps = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(caps, 7);
        BinaryPrimitives.WriteUInt16LittleEndian(caps.AsSpan(2), 16);
        caps[4] = highest;
        BinaryPrimitives.WriteUInt32LittleEndian(caps.AsSpan(8), capabilities);
        using LinuxGuest guest = Boot([.. Fit(0), .. caps], dimms: 1);

        Assert.Equal(expected, guest.NvdimmBuses.Single().Regions.Single().PersistenceDomain);
    }

    [Fact]
    public void Dimms_are_numbered_by_handle_and_regions_by_fit_order()
    {
        // Slot 2's structures first, then slot 0's, then slot 1's.
        byte[] fit = [.. Fit(2), .. Fit(0), .. Fit(1)];
        using LinuxGuest guest = Boot(fit, dimms: 3);

        NvdimmBus bus = guest.NvdimmBuses.Single();
        Assert.Equal([(0, 1u), (1, 2u), (2, 3u)], bus.Dimms.Select(d => (d.Id, d.Handle)));
        Assert.Equal([3u, 1u, 2u], bus.Regions.Select(r => r.Mappings.Single().Dimm.Handle));
        Assert.Equal(["pmem0", "pmem1", "pmem2"], bus.Regions.Select(r => r.Namespaces.Single().BlockDevice));
    }
}
