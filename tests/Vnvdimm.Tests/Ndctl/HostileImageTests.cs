using System.Buffers.Binary;
using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>
/// Crafted images (valid checksums, hostile offsets) that the mutation fuzz can only reach by luck:
/// every ndctl command must finish, without wrapping arithmetic, and not write.
/// </summary>
public sealed class HostileImageTests : IDisposable
{
    private const long ArenaOffset = 4096; // BTT 1.1 at namespace offset 4 KiB; the namespace starts at DPA 0
    private readonly ScratchDirectory scratch = new("vnvdimm-hostile-");

    public void Dispose() => scratch.Dispose();

    private string SectorImage()
    {
        string image = scratch.File("sector.img");
        Assert.Equal(0, NdctlHarness.Image([image, "--size", "64M", "--label-size", "128K", "--", "ndctl", "init-labels", "-V", "1.1", "nmem0"]).Status);
        Assert.Equal(0, NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "create-namespace", "-m", "sector", "-s", "32M"]).Status);
        return image;
    }

    private static NdctlHarness.Result ListWithin(string image, TimeSpan limit)
    {
        var task = Task.Run(() => NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "list", "-N"]));
        Assert.True(task.Wait(limit), "ndctl list did not finish");
        return task.Result;
    }

    [Fact]
    public void A_btt_nextoff_that_wraps_back_to_an_earlier_arena_ends_the_walk()
    {
        string image = SectorImage();
        using (var file = new FileStream(image, FileMode.Open, FileAccess.ReadWrite))
        {
            byte[] first = new byte[InfoBlock.Size];
            file.Position = ArenaOffset;
            file.ReadExactly(first);
            Assert.True(BttInfoBlock.TryRead(first, out _, out _));
            // Arena A points 1 MiB forward to a copy whose nextoff wraps around 2^64 back to A.
            const ulong Step = 1 << 20;
            byte[] second = (byte[])first.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(first.AsSpan(BttInfoBlockLayout.NextOffOffset), Step);
            BinaryPrimitives.WriteUInt64LittleEndian(second.AsSpan(BttInfoBlockLayout.NextOffOffset), unchecked(0UL - Step));
            Fletcher64.Update(first, InfoBlock.ChecksumOffset);
            Fletcher64.Update(second, InfoBlock.ChecksumOffset);
            file.Position = ArenaOffset;
            file.Write(first);
            file.Position = ArenaOffset + (long)Step;
            file.Write(second);
        }
        var fingerprint = ScratchDirectory.Fingerprint(image);

        NdctlHarness.Result list = ListWithin(image, TimeSpan.FromSeconds(20));

        Assert.Equal(0, list.Status);
        Assert.Contains("\"mode\":\"sector\"", list.Text);
        // Both arenas counted once: the walk stopped at the wrapping nextoff.
        BttInfoBlock.TryRead(ReadAt(image, ArenaOffset), out BttInfoBlock? arena, out _);
        Assert.Contains($"\"size\":{2 * (ulong)arena!.ExternalNLba * arena.ExternalLbaSize},", list.Text);
        Assert.Equal(fingerprint, ScratchDirectory.Fingerprint(image));
    }

    [Fact]
    public void A_label_whose_rawsize_wraps_past_2_64_is_invalid_not_accepted()
    {
        string image = SectorImage();
        long areaStart = new FileInfo(image).Length - 128 * 1024;
        byte[] area = ReadAt(image, areaStart, 128 * 1024);
        Assert.True(LabelArea.TryRead(area, out LabelArea? labels, out _));
        LabelAreaGeometry geometry = labels!.Geometry;
        int patched = 0;
        for (int slot = 0; slot < geometry.SlotCount; slot++)
        {
            Span<byte> label = area.AsSpan(geometry.SlotOffset(slot), geometry.LabelSize);
            if (label.IndexOfAnyExcept((byte)0) < 0)
            {
                continue;
            }
            // dpa 4 KiB (inside the mapping) + rawsize 2^64 - 4 KiB wraps to an end of 0. (v1.1 labels carry no checksum.)
            BinaryPrimitives.WriteUInt64LittleEndian(label[NamespaceLabelLayout.DpaOffset..], 4096);
            BinaryPrimitives.WriteUInt64LittleEndian(label[NamespaceLabelLayout.RawSizeOffset..], unchecked(0UL - 4096));
            patched++;
        }
        Assert.True(patched > 0);
        using (var file = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            file.Position = areaStart;
            file.Write(area);
        }
        var fingerprint = ScratchDirectory.Fingerprint(image);

        NdctlHarness.Result list = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "list", "-RNi"]);

        Assert.Equal(0, list.Status);
        // The region is disabled as Linux disables it for a label past the mapping: no namespace of 2^64 bytes.
        Assert.DoesNotContain("18446744073709", list.Text);
        Assert.DoesNotContain("\"mode\":\"sector\"", list.Text);
        Assert.Equal(fingerprint, ScratchDirectory.Fingerprint(image));
    }

    private static byte[] ReadAt(string path, long offset, int length = InfoBlock.Size)
    {
        using var file = File.OpenRead(path);
        byte[] bytes = new byte[length];
        file.Position = offset;
        file.ReadExactly(bytes);
        return bytes;
    }
}
