namespace Vnvdimm.Formats.Labels;

/// <summary>
/// Where things sit in a label storage area of <see cref="AreaSize"/> bytes for one label size:
/// <code>
/// 0        index block 0   (IndexBlockSize bytes)
/// I        index block 1   (IndexBlockSize bytes)
/// 2I       label slot 0 .. SlotCount-1 (LabelSize bytes each)
/// </code>
/// Computed, never trusted from media: the kernel's sizeof_namespace_index / nvdimm_num_label_slots
/// after the UEFI 2.7 sizing rework, which ndctl copies (research §2.2).
/// </summary>
public readonly record struct LabelAreaGeometry(int AreaSize, int LabelSize, int IndexBlockSize, int SlotCount)
{
    /// <summary>Index blocks are multiples of this.</summary>
    public const int IndexAlignment = 256;

    /// <summary>v1.1 label size.</summary>
    public const int LabelSizeV11 = NamespaceLabelLayout.SizeV11;

    /// <summary>v1.2 label size.</summary>
    public const int LabelSizeV12 = NamespaceLabelLayout.SizeV12;

    /// <summary>Offset of the first label slot (labeloff).</summary>
    public int LabelsOffset => 2 * IndexBlockSize;

    /// <summary>Offset of index block <paramref name="position"/> (0 or 1).</summary>
    public int IndexBlockOffset(int position) => position * IndexBlockSize;

    /// <summary>Offset of label slot <paramref name="slot"/>.</summary>
    public int SlotOffset(int slot) => LabelsOffset + slot * LabelSize;

    /// <summary>Bytes of free bitmap that describe <see cref="SlotCount"/> slots.</summary>
    public int BitmapLength => (SlotCount + 7) / 8;

    /// <summary>
    /// Geometry for <paramref name="areaSize"/> bytes and <paramref name="labelSize"/>-byte labels, or
    /// the kernel's "too small" reason when two index blocks and two labels do not fit.
    /// </summary>
    public static bool TryCompute(int areaSize, int labelSize, out LabelAreaGeometry geometry, out string? reason)
    {
        geometry = default;
        if (labelSize is not (LabelSizeV11 or LabelSizeV12))
        {
            reason = $"label size {labelSize} is not 128 or 256";
            return false;
        }
        if (areaSize <= 0)
        {
            reason = $"label area ({areaSize}) too small to host ({labelSize} byte) labels";
            return false;
        }
        // Index blocks needed if every byte were a label, then the slots that leaves room for.
        int maxLabels = areaSize / labelSize;
        int blocks = RoundUp(NamespaceIndexBlockLayout.HeaderSize + DivRoundUp(maxLabels, 8), IndexAlignment) / IndexAlignment;
        int slots = (areaSize - 2 * IndexAlignment * blocks) / labelSize;
        int indexSize = RoundUp(NamespaceIndexBlockLayout.HeaderSize + DivRoundUp(Math.Max(slots, 0), 8), IndexAlignment);
        if (slots < 2 || 2 * indexSize > areaSize - slots * labelSize)
        {
            reason = $"label area ({areaSize}) too small to host ({labelSize} byte) labels";
            return false;
        }
        geometry = new LabelAreaGeometry(areaSize, labelSize, indexSize, slots);
        reason = null;
        return true;
    }

    private static int DivRoundUp(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => DivRoundUp(value, multiple) * multiple;
}
