using System.Buffers.Binary;

namespace Vnvdimm.Tests.TestSupport;

/// <summary>
/// The placement facts of a reference NFIT (ACPI 6.x), read with BinaryPrimitives: for each
/// NVDIMM, its SPA Range (base, length, proximity domain) joined through the Memory Device to
/// SPA Range Map (NFIT device handle = slot + 1 in QEMU).
/// </summary>
public static class ReferenceNfit
{
    public sealed record Dimm(uint Handle, ulong Base, ulong Length, uint ProximityDomain)
    {
        /// <summary>QEMU numbers handles slot + 1.</summary>
        public int Slot => (int)Handle - 1;
    }

    private const int HeaderLength = 40; // 36-byte ACPI header + 4 reserved bytes.
    private const ushort SpaRangeType = 0;
    private const ushort MemoryDeviceMapType = 1;

    public static IReadOnlyList<Dimm> Read(string path) => Parse(File.ReadAllBytes(path));

    public static IReadOnlyList<Dimm> Parse(ReadOnlySpan<byte> table)
    {
        if (table.Length < HeaderLength || !table[..4].SequenceEqual("NFIT"u8))
        {
            throw new InvalidDataException("not an NFIT");
        }
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(table[4..]);
        var ranges = new Dictionary<ushort, (ulong Base, ulong Length, uint Proximity)>();
        var maps = new List<(uint Handle, ushort RangeIndex)>();
        for (int offset = HeaderLength; offset + 4 <= length;)
        {
            ReadOnlySpan<byte> structure = table[offset..];
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(structure);
            ushort size = BinaryPrimitives.ReadUInt16LittleEndian(structure[2..]);
            if (size == 0)
            {
                throw new InvalidDataException($"zero-length NFIT structure at {offset}");
            }
            if (type == SpaRangeType)
            {
                ushort index = BinaryPrimitives.ReadUInt16LittleEndian(structure[4..]);
                uint proximity = BinaryPrimitives.ReadUInt32LittleEndian(structure[12..]);
                ulong spaBase = BinaryPrimitives.ReadUInt64LittleEndian(structure[32..]);
                ulong spaLength = BinaryPrimitives.ReadUInt64LittleEndian(structure[40..]);
                ranges[index] = (spaBase, spaLength, proximity);
            }
            else if (type == MemoryDeviceMapType)
            {
                uint handle = BinaryPrimitives.ReadUInt32LittleEndian(structure[4..]);
                ushort rangeIndex = BinaryPrimitives.ReadUInt16LittleEndian(structure[12..]);
                maps.Add((handle, rangeIndex));
            }
            offset += size;
        }
        return maps
            .Select(m => new Dimm(m.Handle, ranges[m.RangeIndex].Base, ranges[m.RangeIndex].Length, ranges[m.RangeIndex].Proximity))
            .OrderBy(d => d.Base)
            .ToList();
    }
}
