using System.Buffers.Binary;
using System.Globalization;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Ndctl;

/// <summary>
/// What the NFIT says about a DIMM that ndctl shows or the cookie covers (research §1.12–1.13):
/// memdev handle, physical id and region offset, DCR vendor, serial and manufacturing fields.
/// </summary>
public sealed record NdctlDimmIdentity(uint Handle, ushort PhysId, ushort VendorId, uint Serial, ulong RegionOffset = 0,
    ushort ManufacturingDate = 0, byte ManufacturingLocation = 0)
{
    /// <summary>The id ndctl shows; null takes <see cref="UniqueId"/> (a live NFIT supplies its own).</summary>
    public string? Id { get; init; }

    /// <summary>ndctl's DIMM flags that are set, in its order ("flag_failed_arm", …).</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>QEMU's NVDIMM in <paramref name="slot"/>: handle slot+1, phys_id 0, vendor 0x8086, serial 0x123456+slot.</summary>
    public static NdctlDimmIdentity QemuSlot(int slot) => new((uint)slot + 1, 0, 0x8086, 0x123456u + (uint)slot);

    /// <summary>ndctl's id without valid manufacturing fields: big-endian vendor and serial, "8680-56341200" for QEMU slot 0.</summary>
    public string UniqueId => string.Create(CultureInfo.InvariantCulture,
        $"{BinaryPrimitives.ReverseEndianness(VendorId):x4}-{BinaryPrimitives.ReverseEndianness(Serial):x8}");

    public InterleaveSetMember CookieMember => new(RegionOffset, Serial, VendorId, ManufacturingDate, ManufacturingLocation);
}
