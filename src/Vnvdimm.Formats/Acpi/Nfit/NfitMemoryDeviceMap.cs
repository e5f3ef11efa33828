using System.Buffers.Binary;

namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>A Memory Device to SPA Range Map structure: ties a device handle to an SPA range and a control region.</summary>
public readonly record struct NfitMemoryDeviceMap(
    uint DeviceHandle,
    ushort PhysicalId,
    ushort RegionId,
    ushort SpaRangeIndex,
    ushort ControlRegionIndex,
    ulong RegionSize,
    ulong RegionOffset,
    ulong PhysicalAddressRegionBase,
    ushort InterleaveIndex,
    ushort InterleaveWays,
    NfitMemoryDeviceStateFlags StateFlags)
{
    public void WriteTo(Span<byte> destination)
    {
        Span<byte> structure = destination[..NfitMemoryDeviceMapLayout.Size];
        structure.Clear();
        new NfitStructureHeader(NfitStructureType.MemoryDeviceMap, NfitMemoryDeviceMapLayout.Size).WriteTo(structure);
        BinaryPrimitives.WriteUInt32LittleEndian(structure[NfitMemoryDeviceMapLayout.DeviceHandleOffset..], DeviceHandle);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitMemoryDeviceMapLayout.PhysicalIdOffset..], PhysicalId);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitMemoryDeviceMapLayout.RegionIdOffset..], RegionId);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitMemoryDeviceMapLayout.SpaRangeIndexOffset..], SpaRangeIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitMemoryDeviceMapLayout.ControlRegionIndexOffset..], ControlRegionIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitMemoryDeviceMapLayout.RegionSizeOffset..], RegionSize);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitMemoryDeviceMapLayout.RegionOffsetOffset..], RegionOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitMemoryDeviceMapLayout.PhysicalAddressRegionBaseOffset..], PhysicalAddressRegionBase);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitMemoryDeviceMapLayout.InterleaveIndexOffset..], InterleaveIndex);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitMemoryDeviceMapLayout.InterleaveWaysOffset..], InterleaveWays);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitMemoryDeviceMapLayout.StateFlagsOffset..], (ushort)StateFlags);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out NfitMemoryDeviceMap map, out string? error)
    {
        map = default;
        if (!NfitStructureHeader.TryReadExpected(source, NfitStructureType.MemoryDeviceMap, NfitMemoryDeviceMapLayout.Size, out error))
        {
            return false;
        }
        map = new NfitMemoryDeviceMap(
            BinaryPrimitives.ReadUInt32LittleEndian(source[NfitMemoryDeviceMapLayout.DeviceHandleOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[NfitMemoryDeviceMapLayout.PhysicalIdOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[NfitMemoryDeviceMapLayout.RegionIdOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[NfitMemoryDeviceMapLayout.SpaRangeIndexOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[NfitMemoryDeviceMapLayout.ControlRegionIndexOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[NfitMemoryDeviceMapLayout.RegionSizeOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[NfitMemoryDeviceMapLayout.RegionOffsetOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[NfitMemoryDeviceMapLayout.PhysicalAddressRegionBaseOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[NfitMemoryDeviceMapLayout.InterleaveIndexOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(source[NfitMemoryDeviceMapLayout.InterleaveWaysOffset..]),
            (NfitMemoryDeviceStateFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[NfitMemoryDeviceMapLayout.StateFlagsOffset..]));
        return true;
    }
}
