using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Ndctl;

/// <summary>
/// The Linux 6.1 label writer (drivers/nvdimm/label.c, research §2.10) over one DIMM's label
/// store: an in-memory "next" index that starts as a copy of the current one; each update
/// allocates the lowest free slot in next, writes the label, frees the namespace's previous
/// label, then writes next with seq = next(current seq) and swaps current and next. Only the
/// touched slot and the one index block are written, so stale labels stay in freed slots.
/// </summary>
internal sealed class KernelLabelWriter
{
    private readonly ILabelStore store;
    private readonly List<NamespaceLabel> live;
    private NamespaceIndexBlock current;
    private int currentPosition;

    private KernelLabelWriter(ILabelStore store, LabelArea area)
    {
        this.store = store;
        Geometry = area.Geometry;
        current = area.CurrentIndex;
        currentPosition = area.Current;
        live = [.. area.Labels];
    }

    public LabelAreaGeometry Geometry { get; }

    /// <summary>Index minor of the current block: 1 (v1.1) or 2 (v1.2); it picks the cookie.</summary>
    public ushort IndexMinor => current.Minor;

    public IReadOnlyList<NamespaceLabel> Labels => live;

    /// <summary>Null when the store holds no valid index (the DIMM is label-less).</summary>
    public static KernelLabelWriter? TryOpen(ILabelStore store)
    {
        byte[] area = new byte[store.Size];
        store.Read(0, area);
        return LabelArea.TryRead(area, out LabelArea? read, out _) ? new KernelLabelWriter(store, read!) : null;
    }

    /// <summary>Free slots in the current index (the kernel's nd_label_nfree).</summary>
    public int FreeSlots => Geometry.SlotCount - current.UsedSlots().Count(s => s < Geometry.SlotCount);

    /// <summary>
    /// One nd_pmem_namespace_label_update: the label written with UPDATING, then again with flags 0
    /// (each a full slot + index cycle). <paramref name="label"/>'s Slot and Flags are filled in here.
    /// </summary>
    public bool TryUpdate(NamespaceLabel label)
    {
        return TryCycle(label with { Flags = NamespaceLabelFlags.Updating }) && TryCycle(label with { Flags = NamespaceLabelFlags.None });
    }

    /// <summary>del_labels: frees every label of <paramref name="uuid"/> in one index write.</summary>
    public void Delete(Guid uuid)
    {
        NamespaceIndexBlock next = current;
        foreach (NamespaceLabel old in live.Where(l => l.Uuid == uuid).ToList())
        {
            next = next.WithSlot((int)old.Slot, isFree: true);
            live.Remove(old);
        }
        WriteIndex(next);
    }

    private bool TryCycle(NamespaceLabel label)
    {
        NamespaceIndexBlock next = current;
        int slot = Enumerable.Range(0, Geometry.SlotCount).FirstOrDefault(next.IsSlotFree, -1);
        if (slot < 0)
        {
            return false;
        }
        next = next.WithSlot(slot, isFree: false);
        NamespaceLabel written = label with { Slot = (uint)slot, LabelSize = Geometry.LabelSize };
        byte[] bytes = new byte[Geometry.LabelSize];
        written.WriteTo(bytes);
        store.Write(Geometry.SlotOffset(slot), bytes);

        // Reap the namespace's previous label (freed, not zeroed).
        foreach (NamespaceLabel old in live.Where(l => l.Uuid == label.Uuid).ToList())
        {
            next = next.WithSlot((int)old.Slot, isFree: true);
            live.Remove(old);
        }
        live.Add(written);
        WriteIndex(next);
        return true;
    }

    private void WriteIndex(NamespaceIndexBlock next)
    {
        int position = 1 - currentPosition;
        NamespaceIndexBlock block = next.With(position, NamespaceIndexBlock.NextSequence(current.Sequence), Geometry);
        byte[] bytes = new byte[Geometry.IndexBlockSize];
        block.WriteTo(bytes);
        store.Write(Geometry.IndexBlockOffset(position), bytes);
        current = block;
        currentPosition = position;
    }
}
