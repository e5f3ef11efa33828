using System.Buffers.Binary;
using System.Text;
using L = Vnvdimm.Formats.Labels.NamespaceLabelLayout;

namespace Vnvdimm.Formats.Labels;

/// <summary>
/// One namespace label, v1.1 (<see cref="LabelSize"/> 128) or v1.2 (256). The uuid is stored in
/// RFC 4122 order, the v1.2 GUIDs in EFI order; v1.1 labels have neither GUIDs nor a checksum, so
/// their GUIDs read as empty and <see cref="ChecksumMatches"/> is true. Layout: <see cref="NamespaceLabelLayout"/>.
/// </summary>
public sealed record NamespaceLabel
{
    /// <summary>SPA range type of persistent memory, the v1.2 type_guid (EFI order on media).</summary>
    public static readonly Guid PersistentMemoryType = new("66f0d379-b4f3-4074-ac43-0d3318b78cdb");

    /// <summary>Abstraction GUIDs (research §2.8); <see cref="Guid.Empty"/> means raw.</summary>
    public static readonly Guid BttAbstraction = new("8aed63a2-29a2-4c66-8b12-f05d15d3922a");
    public static readonly Guid Btt2Abstraction = new("18633bfc-1735-4217-8ac9-17239282d3f8");
    public static readonly Guid PfnAbstraction = new("266400ba-fb9f-4677-bcb0-968f11d0d225");
    public static readonly Guid DaxAbstraction = new("97a86d9c-3cdd-4eda-986f-5068b4f80088");

    public int LabelSize { get; init; } = L.SizeV12;
    public Guid Uuid { get; init; }

    /// <summary>The name up to its first NUL (at most 63 bytes of UTF-8 are kept on write).</summary>
    public string Name { get; init; } = "";

    public NamespaceLabelFlags Flags { get; init; }
    public ushort NLabel { get; init; }
    public ushort Position { get; init; }
    public ulong InterleaveSetCookie { get; init; }
    public ulong LbaSize { get; init; }
    public ulong Dpa { get; init; }
    public ulong RawSize { get; init; }
    public uint Slot { get; init; }
    public byte Align { get; init; }
    public Guid TypeGuid { get; init; }
    public Guid AbstractionGuid { get; init; }

    /// <summary>False only for a v1.2 label whose stored checksum is wrong (WriteTo always writes a fresh one).</summary>
    public bool ChecksumMatches { get; init; } = true;

    /// <summary>Parses a <paramref name="labelSize"/>-byte label (128 or 256) from the start of <paramref name="source"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, int labelSize, out NamespaceLabel? label, out string? reason)
    {
        label = null;
        if (labelSize is not (L.SizeV11 or L.SizeV12))
        {
            reason = $"label size {labelSize} is not 128 or 256";
            return false;
        }
        if (source.Length < labelSize)
        {
            reason = $"label needs {labelSize} bytes, got {source.Length}";
            return false;
        }
        source = source[..labelSize];
        ReadOnlySpan<byte> name = source.Slice(L.NameOffset, L.NameLength);
        int nul = name.IndexOf((byte)0);
        bool v12 = labelSize == L.SizeV12;
        label = new NamespaceLabel
        {
            LabelSize = labelSize,
            Uuid = new Guid(source.Slice(L.UuidOffset, L.UuidLength), bigEndian: true),
            Name = Encoding.UTF8.GetString(nul < 0 ? name[..(L.NameLength - 1)] : name[..nul]),
            Flags = (NamespaceLabelFlags)BinaryPrimitives.ReadUInt32LittleEndian(source[L.FlagsOffset..]),
            NLabel = BinaryPrimitives.ReadUInt16LittleEndian(source[L.NLabelOffset..]),
            Position = BinaryPrimitives.ReadUInt16LittleEndian(source[L.PositionOffset..]),
            InterleaveSetCookie = BinaryPrimitives.ReadUInt64LittleEndian(source[L.InterleaveSetCookieOffset..]),
            LbaSize = BinaryPrimitives.ReadUInt64LittleEndian(source[L.LbaSizeOffset..]),
            Dpa = BinaryPrimitives.ReadUInt64LittleEndian(source[L.DpaOffset..]),
            RawSize = BinaryPrimitives.ReadUInt64LittleEndian(source[L.RawSizeOffset..]),
            Slot = BinaryPrimitives.ReadUInt32LittleEndian(source[L.SlotOffset..]),
            Align = source[L.AlignOffset],
            // Linux stores these GUIDs with its EFI-order parser: Guid's little-endian layout.
            TypeGuid = v12 ? new Guid(source.Slice(L.TypeGuidOffset, L.GuidLength), bigEndian: false) : Guid.Empty,
            AbstractionGuid = v12 ? new Guid(source.Slice(L.AbstractionGuidOffset, L.GuidLength), bigEndian: false) : Guid.Empty,
            ChecksumMatches = !v12 || Fletcher64.IsValid(source, L.ChecksumOffset),
        };
        reason = null;
        return true;
    }

    /// <summary>Writes <see cref="LabelSize"/> bytes, reserved bytes zero, v1.2 checksum computed.</summary>
    public void WriteTo(Span<byte> destination)
    {
        Span<byte> label = destination[..LabelSize];
        label.Clear();
        Uuid.TryWriteBytes(label.Slice(L.UuidOffset, L.UuidLength), bigEndian: true, out _);
        WriteName(label.Slice(L.NameOffset, L.NameLength));
        BinaryPrimitives.WriteUInt32LittleEndian(label[L.FlagsOffset..], (uint)Flags);
        BinaryPrimitives.WriteUInt16LittleEndian(label[L.NLabelOffset..], NLabel);
        BinaryPrimitives.WriteUInt16LittleEndian(label[L.PositionOffset..], Position);
        BinaryPrimitives.WriteUInt64LittleEndian(label[L.InterleaveSetCookieOffset..], InterleaveSetCookie);
        BinaryPrimitives.WriteUInt64LittleEndian(label[L.LbaSizeOffset..], LbaSize);
        BinaryPrimitives.WriteUInt64LittleEndian(label[L.DpaOffset..], Dpa);
        BinaryPrimitives.WriteUInt64LittleEndian(label[L.RawSizeOffset..], RawSize);
        BinaryPrimitives.WriteUInt32LittleEndian(label[L.SlotOffset..], Slot);
        label[L.AlignOffset] = Align;
        if (LabelSize == L.SizeV12)
        {
            TypeGuid.TryWriteBytes(label.Slice(L.TypeGuidOffset, L.GuidLength), bigEndian: false, out _);
            AbstractionGuid.TryWriteBytes(label.Slice(L.AbstractionGuidOffset, L.GuidLength), bigEndian: false, out _);
            Fletcher64.Update(label, L.ChecksumOffset);
        }
    }

    private void WriteName(Span<byte> field)
    {
        // Keep the last byte NUL, cutting on a character boundary.
        int count = 0;
        foreach (Rune rune in Name.EnumerateRunes())
        {
            int length = rune.Utf8SequenceLength;
            if (count + length > L.NameLength - 1)
            {
                break;
            }
            count += rune.EncodeToUtf8(field[count..]);
        }
    }
}
