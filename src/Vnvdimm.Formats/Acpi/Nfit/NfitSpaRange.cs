using System.Buffers.Binary;

namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>An SPA Range structure: one guest-physical range and what kind of memory it is.</summary>
public readonly record struct NfitSpaRange(
    ushort RangeIndex,
    NfitSpaRangeFlags Flags,
    uint ProximityDomain,
    Guid RangeType,
    ulong RangeBase,
    ulong RangeLength,
    ulong MemoryMappingAttributes)
{
    /// <summary>Address Range Type GUID for persistent memory, 66F0D379-B4F3-4074-AC43-0D3318B78CDB.</summary>
    public static readonly Guid PersistentMemoryRangeType = new("66f0d379-b4f3-4074-ac43-0d3318b78cdb");

    /// <summary>EFI_MEMORY_WB.</summary>
    public const ulong MemoryAttributeWriteBack = 0x8;

    /// <summary>EFI_MEMORY_NV.</summary>
    public const ulong MemoryAttributeNonVolatile = 0x8000;

    /// <summary>Writes the 56-byte form (no location cookie), reserved bytes zero.</summary>
    public void WriteTo(Span<byte> destination)
    {
        Span<byte> structure = destination[..NfitSpaRangeLayout.Size];
        structure.Clear();
        new NfitStructureHeader(NfitStructureType.SpaRange, NfitSpaRangeLayout.Size).WriteTo(structure);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitSpaRangeLayout.RangeIndexOffset..], RangeIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitSpaRangeLayout.FlagsOffset..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(structure[NfitSpaRangeLayout.ProximityDomainOffset..], ProximityDomain);
        // NFIT GUIDs use the EFI (mixed-endian) layout, which is Guid's little-endian form.
        RangeType.TryWriteBytes(structure.Slice(NfitSpaRangeLayout.RangeTypeOffset, NfitSpaRangeLayout.RangeTypeLength), bigEndian: false, out _);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitSpaRangeLayout.RangeBaseOffset..], RangeBase);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitSpaRangeLayout.RangeLengthOffset..], RangeLength);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitSpaRangeLayout.MemoryMappingAttributesOffset..], MemoryMappingAttributes);
    }

    /// <summary>Parses a type-0 structure of at least 56 bytes; a location cookie, if present, is ignored.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out NfitSpaRange range, out string? error)
    {
        range = default;
        if (!NfitStructureHeader.TryReadExpected(source, NfitStructureType.SpaRange, NfitSpaRangeLayout.Size, out error))
        {
            return false;
        }
        range = new NfitSpaRange(
            BinaryPrimitives.ReadUInt16LittleEndian(source[NfitSpaRangeLayout.RangeIndexOffset..]),
            (NfitSpaRangeFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[NfitSpaRangeLayout.FlagsOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(source[NfitSpaRangeLayout.ProximityDomainOffset..]),
            new Guid(source.Slice(NfitSpaRangeLayout.RangeTypeOffset, NfitSpaRangeLayout.RangeTypeLength), bigEndian: false),
            BinaryPrimitives.ReadUInt64LittleEndian(source[NfitSpaRangeLayout.RangeBaseOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[NfitSpaRangeLayout.RangeLengthOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[NfitSpaRangeLayout.MemoryMappingAttributesOffset..]));
        return true;
    }
}
