using System.Buffers.Binary;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Ndctl;

/// <summary>
/// read-labels -j: ndctl's best-effort dump, not the kernel's validation (ndctl/dimm.c
/// dump_index_json / dump_label_json, research §3.2). Both index blocks are printed from offsets 0
/// and 256 whatever they hold; labels are walked from offset 512 in steps of the guessed label size
/// and every slot whose stored slot field equals its position is printed, live or stale.
/// </summary>
internal static class LabelDump
{
    private const int IndexAlignment = LabelAreaGeometry.IndexAlignment;

    /// <summary>ndctl's guess: 256 only if more of the two blocks say minor 2 than minor 1.</summary>
    public static int GuessLabelSize(ReadOnlySpan<byte> area)
    {
        int v11 = 0;
        int v12 = 0;
        for (int offset = 0; offset < 2 * IndexAlignment && offset + NamespaceIndexBlockLayout.HeaderSize <= area.Length; offset += IndexAlignment)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(area[(offset + NamespaceIndexBlockLayout.MajorOffset)..]) != 1)
            {
                continue;
            }
            switch (BinaryPrimitives.ReadUInt16LittleEndian(area[(offset + NamespaceIndexBlockLayout.MinorOffset)..]))
            {
                case 1: v11++; break;
                case 2: v12++; break;
            }
        }
        return v12 > v11 ? LabelAreaGeometry.LabelSizeV12 : LabelAreaGeometry.LabelSizeV11;
    }

    /// <summary>Index block size read-labels -I uses (geometry for 128-byte labels).</summary>
    public static int IndexSizeForDump(int areaSize) =>
        LabelAreaGeometry.TryCompute(areaSize, LabelAreaGeometry.LabelSizeV11, out LabelAreaGeometry g, out _) ? g.IndexBlockSize : IndexAlignment;

    public static JsonC.Object ToJson(string dimmName, ReadOnlySpan<byte> area, bool indexOnly, bool human)
    {
        var dimm = new JsonC.Object { { "dev", dimmName }, { "index", IndexJson(area) } };
        if (!indexOnly)
        {
            dimm.Add("label", LabelsJson(area, human));
        }
        return dimm;
    }

    private static List<object> IndexJson(ReadOnlySpan<byte> area)
    {
        var blocks = new List<object>();
        for (int offset = 0; offset < 2 * IndexAlignment && offset + NamespaceIndexBlockLayout.HeaderSize <= area.Length; offset += IndexAlignment)
        {
            NamespaceIndexBlock.TryRead(area.Slice(offset, NamespaceIndexBlockLayout.HeaderSize), out NamespaceIndexBlock? block, out _);
            blocks.Add(new JsonC.Object
            {
                { "signature", CString(block!.SignatureBytes[..(NamespaceIndexBlockLayout.SignatureLength - 1)]) },
                { "major", (int)block.Major },
                { "minor", (int)block.Minor },
                { "labelsize", 1 << ((7 + block.LabelSizeCode) & 31) },
                { "seq", (int)block.Sequence },
                { "nslot", (int)block.SlotCount },
            });
        }
        return blocks;
    }

    private static List<object> LabelsJson(ReadOnlySpan<byte> area, bool human)
    {
        int labelSize = GuessLabelSize(area);
        var labels = new List<object>();
        uint slot = 0;
        for (int offset = 2 * IndexAlignment; offset + labelSize <= area.Length; offset += labelSize, slot++)
        {
            ReadOnlySpan<byte> bytes = area.Slice(offset, labelSize);
            NamespaceLabel.TryRead(bytes, labelSize, out NamespaceLabel? label, out _);
            if (label!.Slot != slot)
            {
                continue;
            }
            var json = new JsonC.Object
            {
                { "uuid", label.Uuid.ToString() },
                { "name", CString(bytes.Slice(NamespaceLabelLayout.NameOffset, NamespaceLabelLayout.NameLength - 1)) },
                { "slot", (int)label.Slot },
                { "position", (int)label.Position },
                { "nlabel", (int)label.NLabel },
                { "flags", human ? JsonC.Hex((uint)label.Flags) : (long)(uint)label.Flags },
                { "isetcookie", human ? JsonC.Hex(label.InterleaveSetCookie) : (long)label.InterleaveSetCookie },
                { "lbasize", (long)label.LbaSize },
                { "dpa", human ? JsonC.Hex(label.Dpa) : (long)label.Dpa },
                { "rawsize", human ? JsonC.HumanSize(label.RawSize) : (long)label.RawSize },
            };
            if (labelSize == LabelAreaGeometry.LabelSizeV12)
            {
                // uuid_unparse of the raw EFI-order bytes: printed as if they were RFC 4122.
                json.Add("type_guid", RawBytesAsUuid(bytes.Slice(NamespaceLabelLayout.TypeGuidOffset, NamespaceLabelLayout.GuidLength)));
                json.Add("abstraction_guid", RawBytesAsUuid(bytes.Slice(NamespaceLabelLayout.AbstractionGuidOffset, NamespaceLabelLayout.GuidLength)));
            }
            labels.Add(json);
        }
        return labels;
    }

    private static string RawBytesAsUuid(ReadOnlySpan<byte> bytes) => new Guid(bytes, bigEndian: true).ToString();

    /// <summary>A C string: the bytes before the first NUL (ndctl passes them to json-c unchanged).</summary>
    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
    }
}
