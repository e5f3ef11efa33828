using System.Buffers.Binary;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Host.Dsm;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>Every dispatch rule of research §5, with the exact reply bytes QEMU 7.2 writes.</summary>
public sealed class NvdimmDsmMailboxTests : IDisposable
{
    private const uint Nv0 = 1;  // slot 0, label 128 KiB
    private const uint Nv1 = 2;  // slot 1, label 256 KiB
    private const uint NoLabel = 3;
    private const uint ReadOnly = 4;
    private const uint EmptySlot = 5;
    private readonly DsmRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private static byte[] Reply(params uint[] words)
    {
        byte[] bytes = new byte[4 * (words.Length + 1)];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        for (int i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * (i + 1)), words[i]);
        }
        return bytes;
    }

    private void AssertReply(byte[] expected, byte[] page) => Assert.Equal(expected, page[..expected.Length]);

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(2u, 0u)]
    [InlineData(0xFFFF_FFFFu, 0u)]
    [InlineData(0u, 4u)]
    [InlineData(2u, 5u)]
    public void A_revision_other_than_1_is_status_1_for_every_handle_and_function(uint revision, uint function)
    {
        foreach (uint handle in new[] { DsmHandle.Root, DsmHandle.QemuPrivateRoot, Nv0, NoLabel, EmptySlot, 0xFFFF_FFFFu })
        {
            AssertReply(Reply(1), _rig.Call(handle, function, DsmRig.LabelArgs(0, 16), revision));
        }
    }

    [Fact]
    public void Root_device_supports_only_function_0_with_an_empty_mask()
    {
        AssertReply(Reply(0), _rig.Call(DsmHandle.Root, 0));
        foreach (uint function in new uint[] { 1, 2, 3, 4, 5, 6, 7, 0xFFFF_FFFF })
        {
            AssertReply(Reply(1), _rig.Call(DsmHandle.Root, function));
        }
    }

    [Fact]
    public void Qemu_private_root_answers_mask_3_and_status_1_for_unknown_functions()
    {
        AssertReply(Reply(0x3), _rig.Call(DsmHandle.QemuPrivateRoot, 0));
        foreach (uint function in new uint[] { 2, 3, 4, 5, 6, 0xFFFF_FFFF })
        {
            AssertReply(Reply(1), _rig.Call(DsmHandle.QemuPrivateRoot, function));
        }
    }

    [Fact]
    public void Function_0_is_0x71_only_for_an_existing_dimm_with_labels_and_never_status_2()
    {
        AssertReply(Reply(0x71), _rig.Call(Nv0, 0));
        AssertReply(Reply(0x71), _rig.Call(Nv1, 0));
        AssertReply(Reply(0x71), _rig.Call(ReadOnly, 0));
        foreach (uint handle in new uint[] { NoLabel, EmptySlot, 0xFFFF, 0x1_0001, 0xFFFF_FFFF })
        {
            AssertReply(Reply(0), _rig.Call(handle, 0));
        }
    }

    [Fact]
    public void Other_functions_without_a_dimm_are_status_2()
    {
        foreach (uint handle in new uint[] { EmptySlot, 0xFFFF, 0x1_0001, 0xFFFF_FFFF })
        {
            foreach (uint function in new uint[] { 1, 3, 4, 5, 6, 7, 0xFFFF_FFFF })
            {
                AssertReply(Reply(2), _rig.Call(handle, function, DsmRig.LabelArgs(0, 4)));
            }
        }
    }

    [Fact]
    public void A_dimm_without_labels_answers_status_1_to_every_function_but_0()
    {
        foreach (uint function in new uint[] { 1, 4, 5, 6, 7 })
        {
            AssertReply(Reply(1), _rig.Call(NoLabel, function, DsmRig.LabelArgs(0, 4, new byte[4])));
        }
    }

    [Fact]
    public void Unimplemented_device_functions_are_status_1()
    {
        foreach (uint function in new uint[] { 1, 2, 3, 7, 8, 0x100, 0xFFFF_FFFF })
        {
            AssertReply(Reply(1), _rig.Call(Nv0, function, DsmRig.LabelArgs(0, 4)));
        }
    }

    [Fact]
    public void Get_label_size_reports_label_size_and_max_transfer_4076()
    {
        AssertReply(Reply(0, DsmRig.LabelSize0, 4076), _rig.Call(Nv0, 4));
        AssertReply(Reply(0, DsmRig.LabelSize1, 4076), _rig.Call(Nv1, 4));
        AssertReply(Reply(0, DsmRig.LabelSize0, 4076), _rig.Call(ReadOnly, 4));
    }

    [Fact]
    public void Get_label_data_returns_the_last_label_size_bytes_of_the_backend()
    {
        _rig.FillLabel(1, seed: 5);
        byte[] label = _rig.Label(1).ToArray();
        var dimm = _rig.Dimm(1);
        Assert.Equal(DsmRig.BackendSize - DsmRig.LabelSize1, dimm.LabelAreaOffset);

        foreach ((uint offset, uint length) in new (uint, uint)[] { (0, 4076), (0, 1), (100, 300), (DsmRig.LabelSize1 - 4076, 4076), (DsmRig.LabelSize1 - 1, 1) })
        {
            byte[] page = _rig.Call(Nv1, 5, DsmRig.LabelArgs(offset, length));
            Assert.Equal(8 + length, BinaryPrimitives.ReadUInt32LittleEndian(page));
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(4)));
            Assert.Equal(label.AsSpan((int)offset, (int)length).ToArray(), page.AsSpan(8, (int)length).ToArray());
        }
    }

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(0x2_0000u, 0u)]
    [InlineData(0x1_0000u, 0u)]
    public void Zero_length_reads_and_writes_inside_the_area_succeed(uint offset, uint length)
    {
        AssertReply(Reply(0), _rig.Call(Nv0, 5, DsmRig.LabelArgs(offset, length)));
        AssertReply(Reply(0), _rig.Call(Nv0, 6, DsmRig.LabelArgs(offset, length)));
    }

    [Theory]
    [InlineData(0x2_0001u, 0u)]             // starts past the end
    [InlineData(0x2_0000u - 4075, 4076u)]   // ends one byte past the end
    [InlineData(0u, 4077u)]                 // longer than the max transfer
    [InlineData(0u, 0x2_0001u)]
    [InlineData(0xFFFF_FFFFu, 1u)]          // offset + length wraps to 0
    [InlineData(1u, 0xFFFF_FFFFu)]
    [InlineData(0xFFFF_FFFFu, 0xFFFF_FFFFu)]
    [InlineData(0x8000_0000u, 0x8000_0000u)]
    [InlineData(0xFFFF_FFFFu, 0u)]
    public void Out_of_range_overflowing_or_too_long_transfers_are_status_3(uint offset, uint length)
    {
        byte[] before = _rig.Label(0).ToArray();
        AssertReply(Reply(3), _rig.Call(Nv0, 5, DsmRig.LabelArgs(offset, length)));
        AssertReply(Reply(3), _rig.Call(Nv0, 6, DsmRig.LabelArgs(offset, length, new byte[Math.Min(length, 4076)])));
        // The read-only DIMM checks the range before refusing the write.
        AssertReply(Reply(3), _rig.Call(ReadOnly, 6, DsmRig.LabelArgs(offset, length)));
        Assert.Equal(before, _rig.Label(0).ToArray());
    }

    [Fact]
    public void Set_label_data_writes_exactly_the_given_bytes_into_the_label_area()
    {
        _rig.FillLabel(0, seed: 8);
        byte[] expected = _rig.Label(0).ToArray();
        byte[] data = DsmRig.Pattern(4076, seed: 9);
        const uint offset = DsmRig.LabelSize0 - 4076;

        AssertReply(Reply(0), _rig.Call(Nv0, 6, DsmRig.LabelArgs(offset, 4076, data)));

        data.CopyTo(expected, (int)offset);
        Assert.Equal(expected, _rig.Label(0).ToArray());
        byte[] page = _rig.Call(Nv0, 5, DsmRig.LabelArgs(offset, 4076));
        Assert.Equal(8u + 4076, BinaryPrimitives.ReadUInt32LittleEndian(page));
        Assert.Equal(data, page.AsSpan(8, 4076).ToArray());
    }

    [Fact]
    public void Set_label_data_on_a_read_only_backend_is_status_1_and_changes_nothing()
    {
        byte[] before = _rig.Label(3).ToArray();
        AssertReply(Reply(1), _rig.Call(ReadOnly, 6, DsmRig.LabelArgs(0, 16, new byte[16])));
        AssertReply(Reply(1), _rig.Call(ReadOnly, 6, DsmRig.LabelArgs(0, 0)));
        Assert.Equal(before, _rig.Label(3).ToArray());
        // Reading still works.
        byte[] page = _rig.Call(ReadOnly, 5, DsmRig.LabelArgs(0, 16));
        Assert.Equal(before[..16], page.AsSpan(8, 16).ToArray());
    }

    [Fact]
    public void The_reply_overwrites_only_its_own_length_of_the_page()
    {
        byte[] request = DsmRig.Pattern(DsmPage.Size, seed: 11);
        DsmRequest.Write(request, Nv0, 1, 4, default);
        _rig.Memory.WriteAll(DsmRig.Page, request);
        _rig.Bus.WritePort(DsmRig.Port, 4, (uint)DsmRig.Page.Value);
        byte[] page = new byte[DsmPage.Size];
        _rig.Memory.ReadExactly(DsmRig.Page, page);
        AssertReply(Reply(0, DsmRig.LabelSize0, 4076), page);
        Assert.Equal(request[16..], page[16..]);
    }

    [Fact]
    public void The_page_need_not_be_aligned_and_the_bytes_around_it_stay()
    {
        var page = new GuestAddress(0x12345);
        byte[] before = new byte[DsmPage.Size + 2];
        _rig.Memory.ReadExactly(new GuestAddress(page.Value - 1), before);
        byte[] reply = _rig.Call(Nv0, 4, page: page);
        AssertReply(Reply(0, DsmRig.LabelSize0, 4076), reply);
        byte[] after = new byte[DsmPage.Size + 2];
        _rig.Memory.ReadExactly(new GuestAddress(page.Value - 1), after);
        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[^1], after[^1]);
    }

    [Fact]
    public void Only_32_bit_writes_at_the_port_trigger_a_call_and_reads_return_0()
    {
        byte[] request = new byte[DsmPage.Size];
        DsmRequest.Write(request, Nv0, 1, 4, default);
        _rig.Memory.WriteAll(DsmRig.Page, request);
        uint address = (uint)DsmRig.Page.Value;

        _rig.Bus.WritePort(DsmRig.Port, 1, address);
        _rig.Bus.WritePort(DsmRig.Port, 2, address);
        _rig.Bus.WritePort(DsmRig.Port + 1, 2, address);
        _rig.Bus.WritePort(DsmRig.Port + 2, 2, address);
        _rig.Bus.WritePort(DsmRig.Port + 3, 1, address);
        _rig.Bus.WritePort(DsmRig.Port + 1, 4, address); // straddles the end: unassigned
        byte[] page = new byte[DsmPage.Size];
        _rig.Memory.ReadExactly(DsmRig.Page, page);
        Assert.Equal(request, page);

        foreach ((int offset, int size) in new[] { (0, 4), (0, 1), (0, 2), (1, 1), (2, 2), (3, 1) })
        {
            Assert.Equal(0u, _rig.Bus.ReadPort((ushort)(DsmRig.Port + offset), size));
        }
        Assert.Equal(0xFFFF_FFFFu, _rig.Bus.ReadPort(DsmRig.Port - 1, 4));
        Assert.Equal(0xFFu, _rig.Bus.ReadPort(DsmRig.Port + 4, 1));

        _rig.Bus.WritePort(DsmRig.Port, 4, address);
        _rig.Memory.ReadExactly(DsmRig.Page, page);
        AssertReply(Reply(0, DsmRig.LabelSize0, 4076), page);
    }

    [Theory]
    [InlineData(0xFFFF_F000u)]                        // the hole below 4 GiB
    [InlineData((uint)DsmRig.RamSize - 0x800)]         // straddles the end of RAM
    [InlineData((uint)DsmRig.RamSize)]
    [InlineData(0xFFFF_FFFFu)]                         // the page would pass 2^32
    public void A_page_that_is_not_entirely_mapped_is_ignored(uint address)
    {
        var tail = new GuestAddress(DsmRig.RamSize - 0x800);
        byte[] data = DsmRig.Pattern(0x800, seed: 4);
        // A valid Get Label Size request, should the mailbox read the mapped half.
        BinaryPrimitives.WriteUInt32LittleEndian(data, Nv0);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), 4);
        _rig.Memory.WriteAll(tail, data);

        _rig.Bus.WritePort(DsmRig.Port, 4, address);

        byte[] after = new byte[0x800];
        _rig.Memory.ReadExactly(tail, after);
        Assert.Equal(data, after);
    }

    [Fact]
    public void The_page_is_read_once_whole_before_dispatch_and_the_reply_written_once()
    {
        var recorder = new RecordingMemory(_rig.Memory);
        var mailbox = new NvdimmDsmMailbox(recorder, () => _rig.Machine.Nvdimms, _rig.Fit);
        byte[] request = new byte[DsmPage.Size];
        DsmRequest.Write(request, Nv0, 1, 5, DsmRig.LabelArgs(0, 4076));
        _rig.Memory.WriteAll(DsmRig.Page, request);

        mailbox.Write(0, 4, (uint)DsmRig.Page.Value);

        Assert.Equal(
            [("read", DsmRig.Page.Value, DsmPage.Size), ("write", DsmRig.Page.Value, 8 + 4076)],
            recorder.Accesses);
    }

    [Fact]
    public void The_machine_registers_its_mailbox_at_0x0A18()
    {
        Assert.NotNull(_rig.Machine.DsmMailbox);
        // Each cold plug marked the FIT dirty, as QEMU's nvdimm_plug does.
        Assert.True(_rig.Machine.DsmMailbox.IsFitDirty);
        byte[] request = new byte[DsmPage.Size];
        DsmRequest.Write(request, Nv1, 1, 4, default);
        _rig.Memory.WriteAll(DsmRig.Page, request);

        _rig.Machine.Bus.WritePort(0x0A18, 4, (uint)DsmRig.Page.Value);

        byte[] page = new byte[DsmPage.Size];
        _rig.Memory.ReadExactly(DsmRig.Page, page);
        AssertReply(Reply(0, DsmRig.LabelSize1, 4076), page);
        Assert.Same(_rig.Memory, _rig.Machine.Bus.Memory);
    }

    [Fact]
    public void A_hot_plugged_dimm_answers_from_the_moment_it_is_plugged()
    {
        AssertReply(Reply(0), _rig.Call(EmptySlot, 0));
        AssertReply(Reply(2), _rig.Call(EmptySlot, 4));

        var dimm = _rig.HotPlug("hot1", "256K");

        Assert.Equal(4, dimm.Slot);
        AssertReply(Reply(0x71), _rig.Call(EmptySlot, 0));
        AssertReply(Reply(0, 0x4_0000, 4076), _rig.Call(EmptySlot, 4));
        Assert.True(_rig.Mailbox.IsFitDirty);
        Assert.True(_rig.Machine.DsmMailbox!.IsFitDirty);
    }

    /// <summary>Records the guest-memory accesses the mailbox makes.</summary>
    private sealed class RecordingMemory(IGuestMemory inner) : IGuestMemory
    {
        public List<(string Kind, ulong Address, int Length)> Accesses { get; } = [];

        public bool TryRead(GuestAddress address, Span<byte> destination)
        {
            Accesses.Add(("read", address.Value, destination.Length));
            return inner.TryRead(address, destination);
        }

        public bool TryWrite(GuestAddress address, ReadOnlySpan<byte> source)
        {
            Accesses.Add(("write", address.Value, source.Length));
            return inner.TryWrite(address, source);
        }
    }
}
