using System.Buffers.Binary;
using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Guest.Nd;

namespace Vnvdimm.Guest.Nfit;

/// <summary>
/// acpi_nfit_init_interleave_set: the cookies namespace labels carry, and each mapping's position,
/// from the region offsets and control-region identities of the mappings
/// (research/linux-ndctl-labels.md §1.13).
/// </summary>
internal static class InterleaveSetCookie
{
    private const int Info1Size = 16;
    private const int Info2Size = 48;

    /// <param name="members">Per mapping, in mapping order: its memory-device map and control region.</param>
    /// <param name="positions">Receives each mapping's position (its rank in the v1.2 sort).</param>
    public static NdInterleaveSet Compute(IReadOnlyList<(NfitMemoryDeviceMap Memdev, NfitControlRegion Dcr)> members, int[] positions)
    {
        int count = members.Count;
        var info1 = new byte[count][];
        var info2 = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            (NfitMemoryDeviceMap memdev, NfitControlRegion dcr) = members[i];
            info1[i] = new byte[Info1Size];
            BinaryPrimitives.WriteUInt64LittleEndian(info1[i], memdev.RegionOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(info1[i].AsSpan(8), dcr.SerialNumber);
            info2[i] = new byte[Info2Size];
            BinaryPrimitives.WriteUInt64LittleEndian(info2[i], memdev.RegionOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(info2[i].AsSpan(8), dcr.SerialNumber);
            BinaryPrimitives.WriteUInt16LittleEndian(info2[i].AsSpan(12), dcr.VendorId);
            BinaryPrimitives.WriteUInt16LittleEndian(info2[i].AsSpan(14), dcr.ManufacturingDate);
            info2[i][16] = dcr.ManufacturingLocation;
        }
        ulong RegionOffset(byte[] info) => BinaryPrimitives.ReadUInt64LittleEndian(info);
        byte[][] sorted1 = [.. info1.OrderBy(RegionOffset)];
        byte[][] sorted2 = [.. info2.OrderBy(RegionOffset)];
        // The historic v1.1 bug sorted by the offset's little-endian bytes.
        byte[][] compat = [.. info1.OrderBy(info => info.AsSpan(0, 8).ToArray(), ByteComparer.Instance)];

        for (int rank = 0; rank < count; rank++)
        {
            ReadOnlySpan<byte> identity = sorted2[rank].AsSpan(8, 9);
            for (int j = 0; j < count; j++)
            {
                if (info2[j].AsSpan(8, 9).SequenceEqual(identity))
                {
                    positions[j] = rank;
                    break;
                }
            }
        }
        return new NdInterleaveSet(Fletcher64.Compute(Concat(sorted1)), Fletcher64.Compute(Concat(sorted2)), Fletcher64.Compute(Concat(compat)));
    }

    private static byte[] Concat(byte[][] parts) => [.. parts.SelectMany(p => p)];

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static readonly ByteComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
