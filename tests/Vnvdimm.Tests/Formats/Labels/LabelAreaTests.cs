using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Tests.Formats.Labels;

/// <summary>The whole label area as the kernel reads it.</summary>
public sealed class LabelAreaTests
{
    [Fact]
    public void Lab_area_has_block_0_current_and_the_two_live_labels()
    {
        byte[] area = LabBackendImage.ReadLabelArea();
        Assert.True(LabelArea.TryRead(area, out LabelArea? read, out IReadOnlyList<string> reasons), string.Join("; ", reasons));
        Assert.Equal(new LabelAreaGeometry(128 * 1024, 128, 256, 1020), read!.Geometry);
        Assert.Equal(0, read.Current);
        Assert.Equal([1u, 2u], read.Labels.Select(l => l.Slot));
        Assert.Equal(["vnv-test", ""], read.Labels.Select(l => l.Name));
    }

    [Fact]
    public void A_broken_current_block_falls_back_to_the_other()
    {
        byte[] area = LabBackendImage.ReadLabelArea();
        area[100] ^= 0xFF;
        Assert.True(LabelArea.TryRead(area, out LabelArea? read, out IReadOnlyList<string> reasons));
        Assert.Contains("nsindex0 checksum invalid", reasons);
        Assert.Equal(1, read!.Current);
        Assert.Equal([0u, 1u], read.Labels.Select(l => l.Slot));
    }

    [Fact]
    public void Zeroed_area_has_no_labels()
    {
        Assert.False(LabelArea.TryRead(new byte[128 * 1024], out _, out IReadOnlyList<string> reasons));
        Assert.Equal(["nsindex0 signature invalid", "nsindex1 signature invalid", "nsindex0 signature invalid", "nsindex1 signature invalid"], reasons);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    public void Initialised_area_validates_with_its_label_size(int labelSize)
    {
        Assert.True(LabelAreaGeometry.TryCompute(256 * 1024, labelSize, out LabelAreaGeometry g, out _));
        byte[] area = new byte[g.AreaSize];
        LabelArea.WriteInitialIndex(area, g);
        Assert.True(LabelArea.TryRead(area, out LabelArea? read, out _));
        Assert.Equal(g, read!.Geometry);
        Assert.Equal(0, read.Current);
        Assert.Empty(read.Labels);
    }

    [Fact]
    public void Labels_with_a_wrong_slot_or_checksum_are_skipped()
    {
        Assert.True(LabelAreaGeometry.TryCompute(128 * 1024, 256, out LabelAreaGeometry g, out _));
        byte[] area = new byte[g.AreaSize];
        NamespaceIndexBlock index = NamespaceIndexBlock.CreateInitial(g, 0, 3).WithSlot(0, false).WithSlot(1, false).WithSlot(2, false);
        index.WriteTo(area);
        new NamespaceLabel { Slot = 0, NLabel = 1 }.WriteTo(area.AsSpan(g.SlotOffset(0)));
        new NamespaceLabel { Slot = 5, NLabel = 1 }.WriteTo(area.AsSpan(g.SlotOffset(1)));
        new NamespaceLabel { Slot = 2, NLabel = 1 }.WriteTo(area.AsSpan(g.SlotOffset(2)));
        area[g.SlotOffset(2) + 200] = 1;
        Assert.True(LabelArea.TryRead(area, out LabelArea? read, out IReadOnlyList<string> reasons));
        Assert.Equal([0u], read!.Labels.Select(l => l.Slot));
        Assert.Contains("fail checksum. slot: 2", reasons);
    }
}
