using Vnvdimm.Guest;
using Vnvdimm.Guest.Acpi;
using Vnvdimm.Guest.Console;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Guest.Nfit;
using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.Ospm.TestSsdt;

namespace Vnvdimm.Tests.Guest.Ospm;

/// <summary>
/// How the guest reaches a label area. QEMU's DIMMs answer the Intel _DSM family, so labels go
/// through _DSM 4/5/6 (the reference cases cover that). Linux uses <c>_LSI/_LSR/_LSW</c> only for
/// a DIMM of another _DSM family, and a DIMM whose function 0 answers no family at all gets no
/// label access, _LSx or not.
/// </summary>
public sealed class LabelAccessTests
{
    private const uint MaxTransfer = 1000;

    private static byte[] LabelArea()
    {
        byte[] area = new byte[4096];
        for (int i = 0; i < area.Length; i++)
        {
            area[i] = (byte)((i * 7) + (i >> 8) + 3);
        }
        return area;
    }

    private static LinuxGuest Boot(bool withDsmFamily = true, bool withLsw = true) =>
        new GuestTestFirmware(Ssdt(Dimm(0, LabelMethods(LabelArea(), MaxTransfer, withDsmFamily, withLsw))), NfitTable(0)).Boot();

    [Fact]
    public void A_non_intel_family_reads_labels_through_lsi_and_lsr()
    {
        using LinuxGuest guest = Boot();
        using var scratch = new ScratchDirectory("vnvdimm-lsr-");
        string dump = scratch.File("labels.bin");

        Nvdimm dimm = guest.NvdimmBuses.Single().Dimms.Single();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        new GuestShell(guest, new GuestFolder(scratch.Path)).Execute($"ndctl read-labels -o {dump} nmem0", stdout, stderr);

        Assert.Equal("read 1 nmem\n", stderr.ToString());
        Assert.Equal(LabelArea(), File.ReadAllBytes(dump));
        Assert.True(dimm.Supports(NdCommand.GetConfigSize) && dimm.Supports(NdCommand.GetConfigData) && dimm.Supports(NdCommand.SetConfigData));
        Assert.Equal(new NdConfigSize(0, 4096, MaxTransfer), dimm.ConfigArea);
        // The driver's probe read the index area once (820 bytes after trimming), read-labels 5 chunks.
        Assert.Equal(6UL, Assert.IsType<AcpiInteger>(guest.Acpi.Evaluate(@"\_SB.NVDR.NV00.NLSR")).Value);
    }

    [Fact]
    public void Label_writes_go_through_lsw()
    {
        using LinuxGuest guest = Boot();
        Nvdimm dimm = guest.NvdimmBuses.Single().Dimms.Single();
        byte[] data = [.. Enumerable.Range(0, 100).Select(i => (byte)(0xA5 ^ i))];

        int rc;
        lock (guest.KernelLock)
        {
            rc = dimm.SetConfigData(300, data);
        }

        Assert.Equal(0, rc);
        byte[] area = Assert.IsType<AcpiBuffer>(guest.Acpi.Evaluate(@"\_SB.NVDR.NV00.LSA_")).ToArray();
        Assert.Equal(data, area[300..400]);
        Assert.Equal(LabelArea()[..300], area[..300]);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Without_a_dsm_family_or_without_lsw_the_dimm_is_label_less(bool withDsmFamily, bool withLsw)
    {
        using LinuxGuest guest = Boot(withDsmFamily, withLsw);
        Nvdimm dimm = guest.NvdimmBuses.Single().Dimms.Single();

        Assert.False(dimm.Supports(NdCommand.GetConfigData));
        Assert.True(dimm.IsEnabled);
        var stderr = new StringWriter();
        new GuestShell(guest).Execute("ndctl read-labels -j nmem0", new StringWriter(), stderr);
        Assert.Equal("read 0 nmem\n", stderr.ToString());
        Assert.Equal(0UL, Assert.IsType<AcpiInteger>(guest.Acpi.Evaluate(@"\_SB.NVDR.NV00.NLSR")).Value);
    }
}
