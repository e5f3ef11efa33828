using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Tests.Formats.Labels;

/// <summary>Interleave-set cookies for QEMU's NFIT identity (serial 0x123456+slot, vendor 0x8086, region_offset 0).</summary>
public sealed class InterleaveSetCookieTests
{
    [Fact]
    public void Lab_dimm_cookie1_equals_the_labels_isetcookie()
    {
        // read-labels.json: every label of the lab image carries 10248187106440278.
        InterleaveSetMember[] lab = [new(0, 0x123456)];
        Assert.Equal(10248187106440278UL, InterleaveSetCookie.ComputeV11(lab));
        Assert.Equal(10248187106440278UL, InterleaveSetCookie.ComputeAlternate(lab));
        Assert.Equal(10248187106440278UL, InterleaveSetCookie.ForIndex(lab, 1));
        byte[] area = LabBackendImage.ReadLabelArea();
        Assert.True(LabelArea.TryRead(area, out LabelArea? read, out _));
        Assert.All(read!.Labels, l => Assert.Equal(InterleaveSetCookie.ForIndex(lab, read.CurrentIndex.Minor), l.InterleaveSetCookie));
    }

    [Fact]
    public void Cookie2_matches_the_iset_id_of_a_real_qemu_guest_and_slot_1()
    {
        Assert.Equal(52512752653219036UL, InterleaveSetCookie.ComputeV12([new(0, 0x123456)]));
        Assert.Equal(52512752653219036UL, InterleaveSetCookie.ForIndex([new(0, 0x123456)], 2));
        Assert.Equal(0x002468AE00123457UL, InterleaveSetCookie.ComputeV11([new(0, 0x123457)]));
        Assert.Equal(0x00BA901C0012B4DDUL, InterleaveSetCookie.ComputeV12([new(0, 0x123457)]));
    }

    [Fact]
    public void Records_are_sorted_by_region_offset_but_the_altcookie_by_its_bytes()
    {
        InterleaveSetMember a = new(0x100, 1);
        InterleaveSetMember b = new(0x1, 2);
        Assert.Equal(InterleaveSetCookie.ComputeV11([a, b]), InterleaveSetCookie.ComputeV11([b, a]));
        // Little-endian bytes 00 01 … sort before 01 00 …: a first, unlike the numeric order.
        Assert.NotEqual(InterleaveSetCookie.ComputeV11([a, b]), InterleaveSetCookie.ComputeAlternate([b, a]));
        Assert.Equal(InterleaveSetCookie.ComputeAlternate([a, b]), InterleaveSetCookie.ComputeAlternate([b, a]));
    }
}
