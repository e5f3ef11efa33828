using System.Buffers.Binary;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>The QEMU-private Read FIT function (research §5.4) and the guest's _FIT loop over it (§4.5).</summary>
public sealed class ReadFitTests : IDisposable
{
    private const uint Private = DsmHandle.QemuPrivateRoot;
    private readonly DsmRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private (uint Length, uint Status, byte[] Data) ReadFit(uint offset)
    {
        byte[] page = _rig.Call(Private, 1, DsmRig.FitArgs(offset));
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(page);
        return (length, BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(4)), page[8..(int)length]);
    }

    [Fact]
    public void The_fit_is_served_in_chunks_of_at_most_4088_bytes_and_an_empty_chunk_ends_it()
    {
        byte[] fit = _rig.Fit.Bytes;
        Assert.Equal((8u + 4088, 0u), Head(0));
        Assert.Equal(fit[..4088], ReadFit(0).Data);
        Assert.Equal(fit[4088..8176], ReadFit(4088).Data);
        (uint length, uint status, byte[] data) = ReadFit(8176);
        Assert.Equal((8u + 1824, 0u), (length, status));
        Assert.Equal(fit[8176..], data);
        Assert.Equal((8u, 0u), Head(10_000));
        Assert.Equal(fit[1..4089], ReadFit(1).Data);
        Assert.Equal(fit[9999..], ReadFit(9999).Data);
    }

    [Fact]
    public void An_offset_past_the_end_is_status_3_even_while_dirty()
    {
        Assert.True(_rig.Mailbox.IsFitDirty);
        Assert.Equal((8u, 3u), Head(10_001));
        Assert.Equal((8u, 3u), Head(0xFFFF_FFFF));
        Assert.True(_rig.Mailbox.IsFitDirty);
    }

    [Fact]
    public void A_non_zero_offset_while_dirty_is_0x100_until_offset_0_is_read()
    {
        Assert.True(_rig.Mailbox.IsFitDirty);
        Assert.Equal((8u, 0x100u), Head(4088));
        Assert.Equal((8u, 0x100u), Head(10_000));

        Assert.Equal(0u, ReadFit(0).Status);
        Assert.False(_rig.Mailbox.IsFitDirty);
        Assert.Equal(0u, ReadFit(4088).Status);

        _rig.Mailbox.MarkFitDirty();
        Assert.Equal((8u, 0x100u), Head(8176));
    }

    [Fact]
    public void A_plug_takes_the_new_fit_and_marks_it_dirty()
    {
        Assert.Equal(0u, ReadFit(0).Status);
        byte[] next = DsmRig.Pattern(5000, seed: 99);
        _rig.Fit.Bytes = next;
        // Only a plug publishes the new FIT.
        Assert.NotEqual(next[..4088], ReadFit(0).Data);

        _rig.HotPlug("hot1");

        Assert.Equal((8u, 0x100u), Head(4088));
        Assert.Equal(next, ReadGuestFit());
    }

    [Fact]
    public void An_empty_fit_has_only_offset_0()
    {
        _rig.Fit.Bytes = [];
        _rig.Mailbox.MarkFitDirty();
        Assert.Equal((8u, 0u), Head(0));
        Assert.Equal((8u, 3u), Head(1));
    }

    [Fact]
    public void The_guest_fit_loop_restarts_when_a_plug_lands_between_chunks()
    {
        Assert.Equal(_rig.Fit.Bytes[..4088], ReadFit(0).Data);
        byte[] next = DsmRig.Pattern(12_345, seed: 5);
        _rig.Fit.Bytes = next;
        _rig.HotPlug("hot1");
        // The loop continuing at 4088 is told to restart, and then reads the new FIT whole.
        Assert.Equal(0x100u, ReadFit(4088).Status);
        Assert.Equal(next, ReadGuestFit());
        Assert.False(_rig.Mailbox.IsFitDirty);
    }

    /// <summary>
    /// _FIT while plugs run on another thread: each read ends with one whole FIT version, never a
    /// mix, and the read after the last plug returns the last version.
    /// </summary>
    [Fact]
    public async Task The_guest_fit_loop_always_returns_one_whole_fit_version_under_concurrent_plugs()
    {
        var versions = new List<byte[]> { _rig.Fit.Bytes };
        using var done = new ManualResetEventSlim();
        var plugger = Task.Run(() =>
        {
            for (int i = 0; i < 3; i++)
            {
                // FITs only grow: NVDIMMs cannot be unplugged. (A shrinking FIT would make a
                // continuing read fail with status 3, offset past the end, as in QEMU.)
                byte[] next = DsmRig.Pattern(11_000 + (1000 * i), seed: 100 + i);
                lock (versions)
                {
                    versions.Add(next);
                }
                _rig.Fit.Bytes = next;
                _rig.HotPlug($"hot{i}");
                Thread.Sleep(5);
            }
            done.Set();
        });
        int reads = 0;
        while (!done.IsSet || reads == 0)
        {
            byte[] fit = ReadGuestFit();
            lock (versions)
            {
                Assert.Contains(versions, v => v.AsSpan().SequenceEqual(fit));
            }
            reads++;
        }
        await plugger;
        Assert.Equal(versions[^1], ReadGuestFit());
    }

    private (uint Length, uint Status) Head(uint offset)
    {
        (uint length, uint status, _) = ReadFit(offset);
        return (length, status);
    }

    // The AML _FIT method: read chunks until an empty one; restart from 0 on status 0x100.
    private byte[] ReadGuestFit()
    {
        var fit = new List<byte>();
        while (true)
        {
            (_, uint status, byte[] data) = ReadFit((uint)fit.Count);
            if (status == 0x100)
            {
                fit.Clear();
                continue;
            }
            Assert.Equal(0u, status);
            if (data.Length == 0)
            {
                return [.. fit];
            }
            fit.AddRange(data);
        }
    }
}
