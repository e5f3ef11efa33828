using System.Buffers.Binary;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Tests.Formats.Labels;

/// <summary>Labels: the lab image's v1.1 labels written by Linux, and the v1.2 recipe vector.</summary>
public sealed class NamespaceLabelTests
{
    private const ulong LabCookie = 0x002468AC00123456;

    [Fact]
    public void Reads_the_lab_labels_and_writes_them_back_byte_for_byte()
    {
        byte[] area = LabBackendImage.ReadLabelArea();
        var expected = new[]
        {
            new NamespaceLabel { LabelSize = 128, Uuid = new("af6be695-1f6e-49f0-803d-3a6f39083c04"), Flags = NamespaceLabelFlags.Updating, NLabel = 1, InterleaveSetCookie = LabCookie, LbaSize = 512, Dpa = 64 << 20, RawSize = 32 << 20, Slot = 0 },
            new NamespaceLabel { LabelSize = 128, Uuid = new("e5348eaa-3599-4fd8-9c9b-40febda4fc64"), Name = "vnv-test", NLabel = 1, InterleaveSetCookie = LabCookie, LbaSize = 512, Dpa = 0, RawSize = 64 << 20, Slot = 1 },
            new NamespaceLabel { LabelSize = 128, Uuid = new("af6be695-1f6e-49f0-803d-3a6f39083c04"), NLabel = 1, InterleaveSetCookie = LabCookie, LbaSize = 512, Dpa = 64 << 20, RawSize = 32 << 20, Slot = 2 },
        };
        for (int slot = 0; slot < expected.Length; slot++)
        {
            ReadOnlySpan<byte> bytes = area.AsSpan(512 + slot * 128, 128);
            Assert.True(NamespaceLabel.TryRead(bytes, 128, out NamespaceLabel? label, out _));
            Assert.Equal(expected[slot], label);
            byte[] written = new byte[128];
            label!.WriteTo(written);
            Assert.Equal(bytes.ToArray(), written);
        }
    }

    [Fact]
    public void V12_recipe_label_has_the_research_checksum_and_guid_bytes()
    {
        var label = new NamespaceLabel
        {
            Uuid = new("01234567-89ab-cdef-0123-456789abcdef"),
            NLabel = 1,
            InterleaveSetCookie = 0x00BA90120012B4DC,
            LbaSize = 512,
            RawSize = 0x40000000,
            TypeGuid = NamespaceLabel.PersistentMemoryType,
            AbstractionGuid = NamespaceLabel.PfnAbstraction,
        };
        byte[] bytes = new byte[256];
        label.WriteTo(bytes);
        Assert.Equal(0x8BD0474AC737E459UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(248)));
        Assert.Equal([0x01, 0x23, 0x45, 0x67, 0x89, 0xab], bytes[..6]);
        Assert.Equal([0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40], bytes[128..136]);
        Assert.Equal(Convert.FromHexString("ba0064269ffb7746bcb0968f11d0d225"), bytes[144..160]);

        Assert.True(NamespaceLabel.TryRead(bytes, 256, out NamespaceLabel? read, out _));
        Assert.Equal(label, read);
        bytes[200] = 1;
        Assert.True(NamespaceLabel.TryRead(bytes, 256, out read, out _));
        Assert.False(read!.ChecksumMatches);
    }

    [Fact]
    public void Names_keep_a_terminating_nul_and_cut_on_character_boundaries()
    {
        var label = new NamespaceLabel { LabelSize = 128, Name = new string('a', 62) + "é" };
        byte[] bytes = new byte[128];
        label.WriteTo(bytes);
        Assert.Equal(0, bytes[16 + 62]);
        Assert.True(NamespaceLabel.TryRead(bytes, 128, out NamespaceLabel? read, out _));
        Assert.Equal(new string('a', 62), read!.Name);
    }

    [Fact]
    public void Bad_sizes_are_refused_with_a_reason()
    {
        Assert.False(NamespaceLabel.TryRead(new byte[256], 200, out _, out string? reason));
        Assert.NotNull(reason);
        Assert.False(NamespaceLabel.TryRead(new byte[100], 128, out _, out reason));
        Assert.NotNull(reason);
    }
}
