using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Tests.Formats.Labels;

/// <summary>Index-block size and slot count from the label-area size (research §2.2 table).</summary>
public sealed class LabelAreaGeometryTests
{
    [Theory]
    [InlineData(768, 128, 2, 256)]
    [InlineData(1024, 128, 4, 256)]
    [InlineData(1024, 256, 2, 256)]
    [InlineData(128 * 1024, 128, 1020, 256)]
    [InlineData(128 * 1024, 256, 510, 256)]
    [InlineData(256 * 1024, 128, 2040, 512)]
    [InlineData(256 * 1024, 256, 1022, 256)]
    [InlineData(2 * 1024 * 1024, 128, 16348, 2304)]
    [InlineData(2 * 1024 * 1024, 256, 8182, 1280)]
    public void Matches_the_kernel_formula(int area, int labelSize, int slots, int indexSize)
    {
        Assert.True(LabelAreaGeometry.TryCompute(area, labelSize, out LabelAreaGeometry g, out string? reason), reason);
        Assert.Equal(new LabelAreaGeometry(area, labelSize, indexSize, slots), g);
        Assert.Equal(2 * indexSize, g.LabelsOffset);
        Assert.Equal(2 * indexSize + 3 * labelSize, g.SlotOffset(3));
    }

    [Theory]
    [InlineData(768, 256)]
    [InlineData(512, 128)]
    [InlineData(0, 128)]
    public void Too_small_areas_get_the_kernel_message(int area, int labelSize)
    {
        Assert.False(LabelAreaGeometry.TryCompute(area, labelSize, out _, out string? reason));
        Assert.Equal($"label area ({area}) too small to host ({labelSize} byte) labels", reason);
    }

    [Fact]
    public void Layout_sizes_match_the_spec()
    {
        Assert.Equal(72, NamespaceIndexBlockLayout.HeaderSize);
        Assert.Equal(64, NamespaceIndexBlockLayout.ChecksumOffset);
        Assert.Equal(128, NamespaceLabelLayout.SizeV11);
        Assert.Equal(256, NamespaceLabelLayout.SizeV12);
        Assert.Equal((120, 128, 144, 160, 248), (NamespaceLabelLayout.SlotOffset, NamespaceLabelLayout.TypeGuidOffset,
            NamespaceLabelLayout.AbstractionGuidOffset, NamespaceLabelLayout.Reserved2Offset, NamespaceLabelLayout.ChecksumOffset));
    }
}
