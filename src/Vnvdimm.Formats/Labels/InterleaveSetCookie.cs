using System.Buffers.Binary;

namespace Vnvdimm.Formats.Labels;

/// <summary>
/// The label isetcookie Linux expects for a region (drivers/acpi/nfit/core.c acpi_nfit_init_interleave_set,
/// research §1.13): Fletcher-64 over one record per mapping, sorted by region_offset. v1.1 records are
/// {region_offset u64, serial u32, 0 u32}; v1.2 records add vendor, manufacturing date and location
/// and are 48 bytes. Which one a label must carry: <see cref="ForIndex"/>.
/// </summary>
public static class InterleaveSetCookie
{
    private const int V11RecordSize = 16;
    private const int V12RecordSize = 48;

    /// <summary>cookie1: what v1.1 labels carry.</summary>
    public static ulong ComputeV11(IReadOnlyList<InterleaveSetMember> members) =>
        Compute(members.OrderBy(m => m.RegionOffset).ToList(), V11RecordSize);

    /// <summary>cookie2: what v1.2 labels carry, and ndctl's iset_id without a valid index.</summary>
    public static ulong ComputeV12(IReadOnlyList<InterleaveSetMember> members) =>
        Compute(members.OrderBy(m => m.RegionOffset).ToList(), V12RecordSize);

    /// <summary>altcookie: cookie1 with the records sorted by the little-endian bytes of region_offset (a historic kernel bug kept for compatibility).</summary>
    public static ulong ComputeAlternate(IReadOnlyList<InterleaveSetMember> members) =>
        Compute(members.OrderBy(m => BinaryPrimitives.ReverseEndianness(m.RegionOffset)).ToList(), V11RecordSize);

    /// <summary>The cookie labels under an index of minor version <paramref name="indexMinor"/> must carry (1 → cookie1, else cookie2).</summary>
    public static ulong ForIndex(IReadOnlyList<InterleaveSetMember> members, ushort indexMinor) =>
        indexMinor == 1 ? ComputeV11(members) : ComputeV12(members);

    private static ulong Compute(List<InterleaveSetMember> sorted, int recordSize)
    {
        byte[] records = new byte[sorted.Count * recordSize];
        for (int i = 0; i < sorted.Count; i++)
        {
            Span<byte> record = records.AsSpan(i * recordSize, recordSize);
            InterleaveSetMember m = sorted[i];
            BinaryPrimitives.WriteUInt64LittleEndian(record, m.RegionOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], m.Serial);
            if (recordSize == V12RecordSize)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(record[12..], m.VendorId);
                BinaryPrimitives.WriteUInt16LittleEndian(record[14..], m.ManufacturingDate);
                record[16] = m.ManufacturingLocation;
            }
        }
        return Fletcher64.Compute(records);
    }
}
