namespace Vnvdimm.Formats.Labels;

/// <summary>
/// A label storage area as Linux reads it (nd_label_validate and nd_label_active, research §2.5 and
/// §2.9): the label size found by trying 128 then 256, both index blocks, which one is current,
/// and the live labels (in use in the current bitmap, slot field matching, v1.2 checksum good).
/// </summary>
public sealed class LabelArea
{
    private LabelArea(LabelAreaGeometry geometry, NamespaceIndexBlock index0, NamespaceIndexBlock index1, int current, IReadOnlyList<NamespaceLabel> labels)
    {
        Geometry = geometry;
        Index = [index0, index1];
        Current = current;
        Labels = labels;
    }

    public LabelAreaGeometry Geometry { get; }

    /// <summary>Index blocks 0 and 1 as stored.</summary>
    public IReadOnlyList<NamespaceIndexBlock> Index { get; }

    /// <summary>Position of the current index block; the other is "next".</summary>
    public int Current { get; }

    public NamespaceIndexBlock CurrentIndex => Index[Current];

    /// <summary>Live labels in slot order.</summary>
    public IReadOnlyList<NamespaceLabel> Labels { get; }

    /// <summary>
    /// Validates <paramref name="area"/> as the kernel does. On failure the DIMM counts as having no
    /// labels; <paramref name="reasons"/> then holds the kernel's debug messages for every check
    /// that failed (on success, those of the rejected guesses and skipped slots).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> area, out LabelArea? result, out IReadOnlyList<string> reasons)
    {
        var messages = new List<string>();
        reasons = messages;
        result = null;
        foreach (int labelSize in (ReadOnlySpan<int>)[LabelAreaGeometry.LabelSizeV11, LabelAreaGeometry.LabelSizeV12])
        {
            if (!LabelAreaGeometry.TryCompute(area.Length, labelSize, out LabelAreaGeometry geometry, out string? tooSmall))
            {
                messages.Add(tooSmall!);
                continue;
            }
            var blocks = new NamespaceIndexBlock[2];
            var valid = new bool[2];
            for (int position = 0; position < 2; position++)
            {
                NamespaceIndexBlock.TryRead(area.Slice(geometry.IndexBlockOffset(position), geometry.IndexBlockSize), out NamespaceIndexBlock? block, out _);
                blocks[position] = block!;
                valid[position] = block!.IsValidFor(geometry, position, out string? reason);
                if (reason is not null)
                {
                    messages.Add(reason);
                }
            }
            if (!valid[0] && !valid[1])
            {
                continue;
            }
            int current = valid[0] && valid[1] ? NamespaceIndexBlock.Newer(blocks[0].Sequence, blocks[1].Sequence) : valid[0] ? 0 : 1;
            result = new LabelArea(geometry, blocks[0], blocks[1], current, ReadLabels(area, geometry, blocks[current], messages));
            return true;
        }
        return false;
    }

    /// <summary>
    /// nd_label_reserve_dpa: each live label claims its extent of the DIMM's DPA space; an empty
    /// extent or one that overlaps an earlier claim cannot be reserved, and the DIMM's probe fails
    /// (-EBUSY).
    /// </summary>
    public bool ReserveDpaFails()
    {
        var claimed = new List<(ulong Start, ulong End)>();
        foreach (NamespaceLabel label in Labels)
        {
            if (label.RawSize == 0)
            {
                return true;
            }
            // Saturating end: a hostile rawsize must not wrap around.
            ulong end = label.Dpa > ulong.MaxValue - label.RawSize ? ulong.MaxValue : label.Dpa + label.RawSize;
            if (claimed.Any(c => label.Dpa < c.End && c.Start < end))
            {
                return true;
            }
            claimed.Add((label.Dpa, end));
        }
        return false;
    }

    private static List<NamespaceLabel> ReadLabels(ReadOnlySpan<byte> area, LabelAreaGeometry geometry, NamespaceIndexBlock index, List<string> messages)
    {
        var labels = new List<NamespaceLabel>();
        foreach (int slot in index.UsedSlots())
        {
            if (slot >= geometry.SlotCount)
            {
                break;
            }
            NamespaceLabel.TryRead(area.Slice(geometry.SlotOffset(slot), geometry.LabelSize), geometry.LabelSize, out NamespaceLabel? label, out _);
            if (label!.Slot != slot)
            {
                messages.Add($"slot {slot}: label slot field {label.Slot} invalid");
            }
            else if (!label.ChecksumMatches)
            {
                messages.Add($"fail checksum. slot: {slot}");
            }
            else
            {
                labels.Add(label);
            }
        }
        return labels;
    }

    /// <summary>
    /// Writes the two index blocks of a fresh area as ndctl init-labels does: block 0 seq 3 (current),
    /// block 1 seq 2, all slots free; label slots are left as they are (research §2.11).
    /// </summary>
    public static void WriteInitialIndex(Span<byte> area, LabelAreaGeometry geometry, IndexBitmapTail tail = IndexBitmapTail.Ndctl)
    {
        NamespaceIndexBlock.CreateInitial(geometry, 0, 3, tail).WriteTo(area[geometry.IndexBlockOffset(0)..]);
        NamespaceIndexBlock.CreateInitial(geometry, 1, 2, tail).WriteTo(area[geometry.IndexBlockOffset(1)..]);
    }
}
