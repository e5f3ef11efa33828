using Vnvdimm.Tests.TestSupport;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Host.Acpi;

namespace Vnvdimm.Tests.Host.Acpi;

public sealed class NvdimmSsdtBuilderTests
{
    [Fact]
    public void Mema_is_a_forced_dword_at_the_end_of_the_table()
    {
        NvdimmSsdt ssdt = NvdimmSsdtBuilder.Build(ReferenceCase.Machine("s1"));

        Assert.Equal(ssdt.Table.Length - 4, ssdt.MemaValueOffset);
        Assert.Equal("084D454D410C00000000", Convert.ToHexString(ssdt.Table, ssdt.MemaValueOffset - 6, 10));
        Assert.True(AcpiChecksum.IsValid(ssdt.Table));
    }

    [Theory]
    [MemberData(nameof(ReferenceCaseTests.Cases), MemberType = typeof(ReferenceCaseTests))]
    public void Unpatched_table_is_qemus_before_the_firmware_ran(string name)
    {
        // The reference with MEMA back to 0 and the checksum recomputed for that.
        byte[] expected = ReferenceData.Read(name, "SSDT");
        expected.AsSpan(expected.Length - 4).Clear();
        AcpiChecksum.Update(expected, SdtHeaderLayout.ChecksumOffset);

        Assert.Equal(expected, NvdimmSsdtBuilder.Build(ReferenceCase.Machine(name)).Table);
    }

    [Fact]
    public void Header_uses_the_fixed_table_id_and_the_machine_oem_id()
    {
        var machine = new AcpiMachineDescription(1, NvdimmPersistence.None, [], OemId: "VNV", OemTableId: "IGNORED");

        Assert.True(SdtHeader.TryRead(NvdimmSsdtBuilder.Build(machine).Table, out SdtHeader header, out _));
        Assert.Equal(new SdtHeader("SSDT", header.Length, 1, header.Checksum, "VNV", "NVDIMM", 1, "BXPC", 1), header);
    }

    [Fact]
    public void Table_depends_on_slots_not_on_plugged_devices()
    {
        var empty = new AcpiMachineDescription(4, NvdimmPersistence.Cpu, []);

        Assert.Equal(ReferenceData.Read("s1", "SSDT").Length, NvdimmSsdtBuilder.Build(empty).Table.Length);
        Assert.Equal(NvdimmSsdtBuilder.Build(ReferenceCase.Machine("s1")).Table, NvdimmSsdtBuilder.Build(empty).Table);
    }

    [Fact]
    public void Each_slot_adds_one_nvxx_device_of_constant_size()
    {
        int[] lengths = [.. new[] { 1, 2, 3, 16, 17 }.Select(slots => NvdimmSsdtBuilder.Build(new AcpiMachineDescription(slots, NvdimmPersistence.None, [])).Table.Length)];

        // NV00 has _ADR One; later handles need a BytePrefix (1 more byte in _ADR, _LSI, _LSR, _LSW and _DSM).
        Assert.Equal(lengths[2] - lengths[1], lengths[4] - lengths[3]);
        Assert.Equal(1815, lengths[2]); // slots=3, as in s3 and QEMU's dimmpxm golden SSDT
    }

    [Fact]
    public void Supports_256_slots_up_to_nvff()
    {
        byte[] table = NvdimmSsdtBuilder.Build(new AcpiMachineDescription(256, NvdimmPersistence.None, [])).Table;

        Assert.True(table.AsSpan().IndexOf("NVFF"u8) > 0);
        Assert.True(AcpiChecksum.IsValid(table));
    }
}
