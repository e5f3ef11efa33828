using System.Buffers.Binary;
using Vnvdimm.Formats.Dsm;

namespace Vnvdimm.Tests.Formats.Dsm;

/// <summary>The DSM page layout, constants and readers/writers against research §4.3, §4.7, §5.</summary>
public sealed class DsmFormatTests
{
    [Fact]
    public void Page_layout_matches_the_aml_fields()
    {
        // HDLE, REVS, FUNC: 32 bits each; FARG 32672 bits; RLEN 32 bits; ODAT 32736 bits.
        Assert.Equal(4096, DsmPage.Size);
        Assert.Equal((0, 4, 8, 12), (DsmPage.HandleOffset, DsmPage.RevisionOffset, DsmPage.FunctionOffset, DsmPage.ArgumentsOffset));
        Assert.Equal(32672 / 8, DsmPage.ArgumentsLength);
        Assert.Equal((0, 4), (DsmPage.LengthOffset, DsmPage.OutputOffset));
        Assert.Equal(32736 / 8, DsmPage.OutputLength);
        Assert.Equal((4, 8, 4088), (DsmPage.StatusOffset, DsmPage.PayloadOffset, DsmPage.MaxPayloadLength));
    }

    [Fact]
    public void Limits_status_codes_functions_handles_and_masks_are_qemus()
    {
        Assert.Equal(4076, LabelDataArguments.MaxTransfer);
        Assert.Equal(4088, ReadFitArguments.MaxChunk);
        Assert.Equal((8, 8, 4, 8), (LabelDataArguments.Size, LabelDataArguments.DataOffset, ReadFitArguments.Size, LabelSizeInfo.Size));
        Assert.Equal([0u, 1u, 2u, 3u, 0x100u], Enum.GetValues<DsmStatus>().Select(s => (uint)s));
        Assert.Equal([0u, 4u, 5u, 6u], Enum.GetValues<NvdimmDeviceFunction>().Select(f => (uint)f));
        Assert.Equal([0u, 1u], Enum.GetValues<QemuPrivateFunction>().Select(f => (uint)f));
        Assert.Equal((0u, 0x71u, 0u, 0x3u), (DsmFunctionMask.Root, DsmFunctionMask.NvdimmWithLabels, DsmFunctionMask.NvdimmWithoutLabels, DsmFunctionMask.QemuPrivate));
        Assert.Equal((0u, 0x1_0000u), (DsmHandle.Root, DsmHandle.QemuPrivateRoot));
        Assert.Equal(1u, DsmRequest.Revision1);
    }

    [Theory]
    [InlineData(0u, false, 0)]
    [InlineData(1u, true, 0)]
    [InlineData(2u, true, 1)]
    [InlineData(0xFFFFu, true, 0xFFFE)]
    [InlineData(0x1_0000u, false, 0)]
    [InlineData(0x1_0001u, false, 0)]
    [InlineData(0xFFFF_FFFFu, false, 0)]
    public void Device_handles_are_slot_plus_one(uint handle, bool isDevice, int slot)
    {
        Assert.Equal(isDevice, DsmHandle.TryGetSlot(handle, out int found));
        if (isDevice)
        {
            Assert.Equal(slot, found);
            Assert.Equal(handle, DsmHandle.FromSlot(slot));
        }
        else
        {
            Assert.Equal(-1, found);
        }
    }

    [Fact]
    public void Slots_outside_the_device_handle_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DsmHandle.FromSlot(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DsmHandle.FromSlot(0xFFFF));
    }

    [Fact]
    public void Uuids_have_the_acpi_touuid_bytes_of_the_ssdt()
    {
        Assert.Equal(Convert.FromHexString("30AC0943110DE41191910800200C9A66"), DsmUuid.NvdimmDevice.ToByteArray());
        Assert.Equal(Convert.FromHexString("A4E7102F919EE41189D3123B93F75CBA"), DsmUuid.Root.ToByteArray());
        Assert.Equal(Convert.FromHexString("F29C8B64A1CD12438AD949C4AF32BD62"), DsmUuid.QemuPrivate.ToByteArray());
        Assert.Equal(DsmUuid.Root, DsmUuid.ForHandle(0));
        Assert.Equal(DsmUuid.QemuPrivate, DsmUuid.ForHandle(0x1_0000));
        Assert.Equal(DsmUuid.NvdimmDevice, DsmUuid.ForHandle(7));
    }

    [Fact]
    public void A_request_round_trips_and_leaves_the_rest_of_farg()
    {
        byte[] page = Enumerable.Repeat((byte)0xEE, 4096).ToArray();
        DsmRequest.Write(page, 0x1_0000, 1, 1, [1, 2, 3, 4]);
        Assert.Equal(Convert.FromHexString("000001000100000001000000" + "01020304" + "EEEE"), page[..18]);

        Assert.True(DsmRequest.TryRead(page, out DsmRequest request));
        Assert.Equal((0x1_0000u, 1u, 1u, 4084), (request.Handle, request.Revision, request.Function, request.Arguments.Length));
        Assert.True(ReadFitArguments.TryRead(request.Arguments, out ReadFitArguments fit));
        Assert.Equal(0x0403_0201u, fit.Offset);
        Assert.False(DsmRequest.TryRead(page.AsSpan(0, 4095), out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => DsmRequest.Write(new byte[4095], 0, 1, 0, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => DsmRequest.Write(page, 0, 1, 0, new byte[4085]));
    }

    [Fact]
    public void Replies_carry_their_length_including_the_length_field()
    {
        byte[] page = new byte[4096];
        Assert.Equal(8, DsmReply.WriteNoPayload(page, DsmStatus.FitChanged));
        Assert.Equal(Convert.FromHexString("0800000000010000"), page[..8]);

        Span<byte> payload = DsmReply.WriteHeader(page, 0, 8);
        new LabelSizeInfo(0x2_0000, 4076).WriteTo(payload);
        Assert.Equal(Convert.FromHexString("1000000000000000" + "00000200" + "EC0F0000"), page[..16]);

        Assert.True(DsmReply.TryRead(page, out DsmReply reply));
        Assert.Equal((16, 0u, 12, 8), (reply.Length, reply.Status, reply.Output.Length, reply.Payload.Length));
        Assert.True(LabelSizeInfo.TryRead(reply.Payload, out LabelSizeInfo info));
        Assert.Equal(new LabelSizeInfo(0x2_0000, 4076), info);

        DsmReply.WriteHeader(page, 0, 4088);
        Assert.True(DsmReply.TryRead(page, out reply));
        Assert.Equal(4096, reply.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => DsmReply.WriteHeader(page, 0, 4089));
        Assert.Throws<ArgumentOutOfRangeException>(() => DsmReply.WriteHeader(new byte[100], 0, 93));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(7u)]
    [InlineData(4097u)]
    [InlineData(0xFFFF_FFFFu)]
    public void A_reply_length_below_8_or_past_the_page_is_malformed(uint length)
    {
        byte[] page = new byte[4096];
        BinaryPrimitives.WriteUInt32LittleEndian(page, length);
        Assert.False(DsmReply.TryRead(page, out _));
    }

    [Fact]
    public void Label_data_arguments_and_the_set_payload()
    {
        byte[] arguments = new byte[4084];
        new LabelDataArguments(0x100, 4076).WriteTo(arguments);
        Assert.Equal(Convert.FromHexString("00010000EC0F0000"), arguments[..8]);
        Assert.True(LabelDataArguments.TryRead(arguments, out LabelDataArguments args));
        Assert.Equal(new LabelDataArguments(0x100, 4076), args);
        // 4076 bytes fit exactly after offset and length in the 4084-byte Arg3.
        Assert.True(args.TryGetData(arguments, out ReadOnlySpan<byte> data));
        Assert.Equal(4076, data.Length);
        Assert.False(new LabelDataArguments(0, 4077).TryGetData(arguments, out _));
        Assert.False(new LabelDataArguments(0, uint.MaxValue).TryGetData(arguments, out _));
        Assert.False(LabelDataArguments.TryRead(new byte[7], out _));
        Assert.False(ReadFitArguments.TryRead(new byte[3], out _));
        Assert.False(LabelSizeInfo.TryRead(new byte[7], out _));
    }
}
