using System.Buffers.Binary;
using Vnvdimm.Formats.Dsm;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>
/// Random DSM requests biased toward the values where rules change: handles of every kind,
/// revision 1 mostly, the implemented functions mostly, and offsets/lengths at 0, the label
/// size, 4076, 4088, the FIT length and 2^32 − 1 (± a little).
/// </summary>
internal sealed class RequestFuzzer(int seed, uint[] handles)
{
    private static readonly uint[] Functions = [0, 0, 1, 1, 2, 3, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 0xFF, 0xFFFF_FFFF];
    private static readonly uint[] Revisions = [0, 2, 0xFFFF_FFFF, 0x1_0001];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>Rewrites header, offset and length of <paramref name="page"/>; the rest of Arg3 (Set data) drifts slowly.</summary>
    public void Next(Span<byte> page)
    {
        uint handle = handles[_random.Next(handles.Length)];
        uint revision = _random.Next(8) == 0 ? Pick(Revisions) : 1;
        uint function = _random.Next(20) == 0 ? (uint)_random.NextInt64(0, 1L << 32) : Pick(Functions);
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.HandleOffset..], handle);
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.RevisionOffset..], revision);
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.FunctionOffset..], function);
        BinaryPrimitives.WriteUInt32LittleEndian(page[DsmPage.ArgumentsOffset..], Value());
        BinaryPrimitives.WriteUInt32LittleEndian(page[(DsmPage.ArgumentsOffset + 4)..], Value());
        if (_random.Next(16) == 0)
        {
            _random.NextBytes(page.Slice(DsmPage.ArgumentsOffset + 8 + _random.Next(4000), 64));
        }
    }

    /// <summary>An offset, length or FIT offset near a limit.</summary>
    public uint Value()
    {
        int kind = _random.Next(10);
        if (kind < 6)
        {
            uint edge = _random.Next(12) switch
            {
                0 => 0,
                1 => 4076,
                2 => 4088,
                3 => DsmRig.LabelSize0,
                4 => DsmRig.LabelSize1,
                5 => DsmRig.LabelSize0 - 4076,
                6 => DsmRig.LabelSize1 - 4076,
                7 => 10_000, // the rig's FIT length
                8 => 0x8000_0000,
                9 => uint.MaxValue - 4075,
                10 => uint.MaxValue,
                _ => 8176,
            };
            return unchecked(edge + (uint)_random.Next(-2, 3));
        }
        return kind < 9 ? (uint)_random.Next(0, (int)DsmRig.LabelSize1 + 8) : (uint)_random.NextInt64(0, 1L << 32);
    }

    private uint Pick(uint[] values) => values[_random.Next(values.Length)];
}
