using System.Buffers.Binary;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>
/// An independent, deliberately plain restatement of research §5 (QEMU 7.2's nvdimm_dsm_write and
/// the functions it calls), with shadow copies of the label areas: the oracle the property and
/// fuzz tests compare the mailbox with, reply byte for reply byte.
/// </summary>
internal sealed class DsmModel
{
    public sealed class Dimm(byte[] label, bool readOnly)
    {
        public byte[] Label { get; } = label;

        public bool ReadOnly { get; } = readOnly;
    }

    /// <summary>By handle (slot + 1); a DIMM without labels has an empty label array.</summary>
    public Dictionary<uint, Dimm> Dimms { get; } = [];

    public byte[] Fit { get; set; } = [];

    public bool Dirty { get; set; }

    /// <summary>Builds the model of a <see cref="DsmRig"/> as it is now.</summary>
    public static DsmModel Of(DsmRig rig)
    {
        var model = new DsmModel { Fit = rig.Fit.Bytes, Dirty = rig.Mailbox.IsFitDirty };
        foreach (var dimm in rig.Machine.Nvdimms)
        {
            model.Dimms[(uint)dimm.Slot + 1] = new Dimm(dimm.LabelSize == 0 ? [] : rig.Label(dimm.Slot).ToArray(), dimm.IsReadOnly);
        }
        return model;
    }

    /// <summary>The reply QEMU writes for the 4096-byte request <paramref name="page"/>; applies label writes to the shadows.</summary>
    public byte[] Reply(ReadOnlySpan<byte> page)
    {
        uint handle = U32(page, 0);
        uint revision = U32(page, 4);
        uint function = U32(page, 8);
        ReadOnlySpan<byte> arg3 = page[12..];
        if (revision != 1)
        {
            return Status(1);
        }
        if (handle == 0x10000)
        {
            return function switch
            {
                0 => Words(0x3),     // function-0 mask: Read FIT
                1 => ReadFit(U32(arg3, 0)),
                _ => Status(1),
            };
        }
        if (handle == 0)
        {
            return Words(function == 0 ? 0u : 1u);  // empty mask, or "not supported"
        }
        Dimms.TryGetValue(handle, out Dimm? dimm);
        if (function == 0)
        {
            return Words(dimm is not null && dimm.Label.Length > 0 ? 0x71u : 0u);
        }
        if (dimm is null)
        {
            return Status(2);
        }
        if (dimm.Label.Length == 0 || function is not (4 or 5 or 6))
        {
            return Status(1);
        }
        if (function == 4)
        {
            return Words(0, (uint)dimm.Label.Length, 4076);
        }
        ulong offset = U32(arg3, 0);
        ulong length = U32(arg3, 4);
        // Plain 64-bit arithmetic instead of the u32 wrap test: the same set of bad ranges.
        if (offset + length > 0xFFFF_FFFF || offset + length > (ulong)dimm.Label.Length || length > 4076)
        {
            return Status(3);
        }
        if (function == 5)
        {
            return [.. Header(8 + (int)length, 0), .. dimm.Label.AsSpan((int)offset, (int)length)];
        }
        if (dimm.ReadOnly)
        {
            return Status(1);
        }
        arg3.Slice(8, (int)length).CopyTo(dimm.Label.AsSpan((int)offset));
        return Status(0);
    }

    private byte[] ReadFit(uint offset)
    {
        if (offset > Fit.Length)
        {
            return Status(3);
        }
        if (offset == 0)
        {
            Dirty = false;
        }
        else if (Dirty)
        {
            return Status(0x100);
        }
        int length = Math.Min(Fit.Length - (int)offset, 4088);
        return [.. Header(8 + length, 0), .. Fit.AsSpan((int)offset, length)];
    }

    private static uint U32(ReadOnlySpan<byte> bytes, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);

    private static byte[] Status(uint status) => Words(status);

    private static byte[] Header(int length, uint status)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), status);
        return bytes;
    }

    private static byte[] Words(params uint[] words)
    {
        byte[] bytes = new byte[4 + (4 * words.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 + (4 * i)), words[i]);
        }
        return bytes;
    }
}
