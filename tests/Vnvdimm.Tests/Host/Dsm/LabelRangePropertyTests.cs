using CsCheck;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Host.Dsm;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>
/// Offsets and lengths near every limit (0, the label size, 4076, 4088, 2^31, 2^32 − 1) through
/// the mailbox, against <see cref="DsmModel"/>.
/// </summary>
public sealed class LabelRangePropertyTests : IDisposable
{
    private readonly DsmRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private static readonly uint[] Edges =
    [
        0, 1, 4076, 4088, DsmRig.LabelSize0, DsmRig.LabelSize1, DsmRig.LabelSize0 - 4076, DsmRig.LabelSize1 - 4076,
        0x7FFF_FFFF, 0x8000_0000, uint.MaxValue - 4075, uint.MaxValue - 4087, 0xFFFF_FFFF,
    ];

    /// <summary>An edge value plus or minus a little, a small value, or any u32.</summary>
    private static readonly Gen<uint> NearLimit = Gen.Frequency(
        (6, Gen.Select(Gen.OneOf(Edges), Gen.Int[-3, 3], (edge, delta) => unchecked(edge + (uint)delta))),
        (2, Gen.UInt[0, DsmRig.LabelSize1 + 8]),
        (1, Gen.UInt));

    private static readonly Gen<(uint Handle, uint Offset, uint Length)> Ranges =
        Gen.Select(Gen.OneOf(1u, 2u, 4u), NearLimit, NearLimit);

    [Fact]
    public void The_range_check_is_status_3_exactly_when_the_u32_sum_wraps_or_passes_the_area_or_the_length_exceeds_4076()
    {
        Gen.Select(NearLimit, NearLimit, Gen.OneOf(0UL, 1UL, 4076UL, 0x2_0000UL, 0xFFFF_FFFFUL, 0x1_0000_0000UL)).Sample((offset, length, labelSize) =>
        {
            bool bad = (ulong)offset + length > uint.MaxValue || (ulong)offset + length > labelSize || length > 4076;
            Assert.Equal(bad ? DsmStatus.InvalidInput : DsmStatus.Success, NvdimmLabelArea.CheckRange(offset, length, labelSize));
        }, iter: 20_000);
    }

    [Fact]
    public void Get_label_data_matches_the_model()
    {
        _rig.FillLabel(0, seed: 1);
        _rig.FillLabel(1, seed: 2);
        DsmModel model = DsmModel.Of(_rig);
        Ranges.Sample(range =>
        {
            byte[] request = new byte[DsmPage.Size];
            DsmRequest.Write(request, range.Handle, 1, 5, DsmRig.LabelArgs(range.Offset, range.Length));
            byte[] expected = model.Reply(request);
            byte[] page = _rig.Call(range.Handle, 5, DsmRig.LabelArgs(range.Offset, range.Length));
            Assert.Equal(expected, page[..expected.Length]);
        }, iter: 3_000, threads: 1);
    }

    [Fact]
    public void Set_label_data_matches_the_model_and_touches_only_the_addressed_bytes()
    {
        DsmModel model = DsmModel.Of(_rig);
        Gen.Select(Ranges, Gen.Byte).Sample((range, fill) =>
        {
            byte[] data = new byte[Math.Min(range.Length, 4076)];
            data.AsSpan().Fill(fill);
            byte[] arguments = DsmRig.LabelArgs(range.Offset, range.Length, data);
            byte[] request = new byte[DsmPage.Size];
            DsmRequest.Write(request, range.Handle, 1, 6, arguments);
            byte[] expected = model.Reply(request);

            byte[] page = _rig.Call(range.Handle, 6, arguments);

            Assert.Equal(expected, page[..expected.Length]);
            Assert.True(model.Dimms[range.Handle].Label.AsSpan().SequenceEqual(_rig.Label((int)range.Handle - 1)));
        }, iter: 3_000, threads: 1);
        Assert.True(model.Dimms[1].Label.AsSpan().SequenceEqual(_rig.Label(0)));
        Assert.True(model.Dimms[2].Label.AsSpan().SequenceEqual(_rig.Label(1)));
    }

    [Fact]
    public void Read_fit_matches_the_model_at_offsets_near_its_end()
    {
        DsmModel model = DsmModel.Of(_rig);
        uint fitLength = (uint)_rig.Fit.Bytes.Length;
        Gen<uint> offsets = Gen.Frequency(
            (4, Gen.Select(Gen.OneOf(0u, 4088u, 8176u, fitLength, 0x8000_0000u, 0xFFFF_FFFFu), Gen.Int[-2, 2], (edge, delta) => unchecked(edge + (uint)delta))),
            (1, Gen.UInt[0, fitLength + 2]),
            (1, Gen.UInt));
        Gen.Select(offsets, Gen.Int[0, 20]).Sample((offset, plug) =>
        {
            if (plug == 0)
            {
                _rig.Mailbox.MarkFitDirty();
                model.Dirty = true;
            }
            byte[] request = new byte[DsmPage.Size];
            DsmRequest.Write(request, DsmHandle.QemuPrivateRoot, 1, 1, DsmRig.FitArgs(offset));
            byte[] expected = model.Reply(request);
            byte[] page = _rig.Call(DsmHandle.QemuPrivateRoot, 1, DsmRig.FitArgs(offset));
            Assert.Equal(expected, page[..expected.Length]);
            Assert.Equal(model.Dirty, _rig.Mailbox.IsFitDirty);
        }, iter: 3_000, threads: 1);
    }
}
