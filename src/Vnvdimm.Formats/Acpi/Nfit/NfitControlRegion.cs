using System.Buffers.Binary;

namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>An NVDIMM Control Region structure: the device's identity (vendor, device, serial) and interface code.</summary>
public readonly record struct NfitControlRegion(
    ushort Index,
    ushort VendorId,
    ushort DeviceId,
    ushort RevisionId,
    ushort SubsystemVendorId,
    ushort SubsystemDeviceId,
    ushort SubsystemRevisionId,
    byte ValidFields,
    byte ManufacturingLocation,
    ushort ManufacturingDate,
    uint SerialNumber,
    ushort RegionFormatInterfaceCode,
    ushort BlockControlWindowCount,
    ulong BlockControlWindowSize,
    ulong CommandRegisterOffset,
    ulong CommandRegisterSize,
    ulong StatusRegisterOffset,
    ulong StatusRegisterSize,
    ushort Flags)
{
    /// <summary>Writes the full 80-byte form, reserved bytes zero.</summary>
    public void WriteTo(Span<byte> destination)
    {
        Span<byte> structure = destination[..NfitControlRegionLayout.Size];
        structure.Clear();
        new NfitStructureHeader(NfitStructureType.ControlRegion, NfitControlRegionLayout.Size).WriteTo(structure);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.IndexOffset..], Index);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.VendorIdOffset..], VendorId);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.DeviceIdOffset..], DeviceId);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.RevisionIdOffset..], RevisionId);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.SubsystemVendorIdOffset..], SubsystemVendorId);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.SubsystemDeviceIdOffset..], SubsystemDeviceId);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.SubsystemRevisionIdOffset..], SubsystemRevisionId);
        structure[NfitControlRegionLayout.ValidFieldsOffset] = ValidFields;
        structure[NfitControlRegionLayout.ManufacturingLocationOffset] = ManufacturingLocation;
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.ManufacturingDateOffset..], ManufacturingDate);
        BinaryPrimitives.WriteUInt32LittleEndian(structure[NfitControlRegionLayout.SerialNumberOffset..], SerialNumber);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.RegionFormatInterfaceCodeOffset..], RegionFormatInterfaceCode);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.BlockControlWindowCountOffset..], BlockControlWindowCount);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitControlRegionLayout.BlockControlWindowSizeOffset..], BlockControlWindowSize);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitControlRegionLayout.CommandRegisterOffsetOffset..], CommandRegisterOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitControlRegionLayout.CommandRegisterSizeOffset..], CommandRegisterSize);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitControlRegionLayout.StatusRegisterOffsetOffset..], StatusRegisterOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(structure[NfitControlRegionLayout.StatusRegisterSizeOffset..], StatusRegisterSize);
        BinaryPrimitives.WriteUInt16LittleEndian(structure[NfitControlRegionLayout.FlagsOffset..], Flags);
    }

    /// <summary>
    /// Parses a type-4 structure. As Linux does, a structure with no block control windows may
    /// stop after the window count (32 bytes); one that declares windows must have all 80 bytes.
    /// Absent fields read as zero.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out NfitControlRegion region, out string? error)
    {
        region = default;
        if (!NfitStructureHeader.TryReadExpected(source, NfitStructureType.ControlRegion, NfitControlRegionLayout.SizeWithoutBlockWindows, out error))
        {
            return false;
        }
        int length = BinaryPrimitives.ReadUInt16LittleEndian(source[NfitStructureHeader.LengthOffset..]);
        ushort windows = BinaryPrimitives.ReadUInt16LittleEndian(source[NfitControlRegionLayout.BlockControlWindowCountOffset..]);
        bool complete = length >= NfitControlRegionLayout.Size;
        if (windows != 0 && !complete)
        {
            error = $"ControlRegion declares {windows} block control windows but is only {length} bytes long (needs {NfitControlRegionLayout.Size})";
            return false;
        }
        ReadOnlySpan<byte> s = source;
        region = new NfitControlRegion(
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.IndexOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.VendorIdOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.DeviceIdOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.RevisionIdOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.SubsystemVendorIdOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.SubsystemDeviceIdOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.SubsystemRevisionIdOffset..]),
            s[NfitControlRegionLayout.ValidFieldsOffset],
            s[NfitControlRegionLayout.ManufacturingLocationOffset],
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.ManufacturingDateOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(s[NfitControlRegionLayout.SerialNumberOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.RegionFormatInterfaceCodeOffset..]),
            windows,
            complete ? BinaryPrimitives.ReadUInt64LittleEndian(s[NfitControlRegionLayout.BlockControlWindowSizeOffset..]) : 0,
            complete ? BinaryPrimitives.ReadUInt64LittleEndian(s[NfitControlRegionLayout.CommandRegisterOffsetOffset..]) : 0,
            complete ? BinaryPrimitives.ReadUInt64LittleEndian(s[NfitControlRegionLayout.CommandRegisterSizeOffset..]) : 0,
            complete ? BinaryPrimitives.ReadUInt64LittleEndian(s[NfitControlRegionLayout.StatusRegisterOffsetOffset..]) : 0,
            complete ? BinaryPrimitives.ReadUInt64LittleEndian(s[NfitControlRegionLayout.StatusRegisterSizeOffset..]) : 0,
            complete ? BinaryPrimitives.ReadUInt16LittleEndian(s[NfitControlRegionLayout.FlagsOffset..]) : (ushort)0);
        return true;
    }
}
