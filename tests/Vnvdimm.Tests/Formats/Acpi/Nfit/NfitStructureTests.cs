using Vnvdimm.Formats.Acpi.Nfit;

namespace Vnvdimm.Tests.Formats.Acpi.Nfit;

/// <summary>NFIT structures against the s4 capture (256 MiB - 128 KiB, unarmed, mem-ctrl) and s3 (slot 1).</summary>
public sealed class NfitStructureTests
{
    // s4 NFIT bytes 0x28.., slot 0.
    private const string S4Spa = "0000380002000300000000000000000079D3F066F3B47440AC430D3318B78CDB00000000010000000000FE0F000000000880000000000000";
    private const string S4MemoryDeviceMap = "010030000100000000000000020003000000FE0F00000000000000000000000000000000000000000000010008000000";
    private const string S3Slot1ControlRegion = "0400500005008680010001000000000000000000000000005734120001030000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    private const string S4Capabilities = "07001000010000000200000000000000";

    [Fact]
    public void Layout_sizes_match_the_spec()
    {
        Assert.Equal(56, NfitSpaRangeLayout.Size);
        Assert.Equal(64, NfitSpaRangeLayout.SizeWithLocationCookie);
        Assert.Equal(48, NfitMemoryDeviceMapLayout.Size);
        Assert.Equal(80, NfitControlRegionLayout.Size);
        Assert.Equal(32, NfitControlRegionLayout.SizeWithoutBlockWindows);
        Assert.Equal(24, NfitControlRegionLayout.SerialNumberOffset);
        Assert.Equal(16, NfitPlatformCapabilitiesLayout.Size);
        Assert.Equal(40, NfitTableLayout.StructuresOffset);
    }

    [Fact]
    public void Spa_range_round_trips_the_reference()
    {
        var spa = new NfitSpaRange(2, NfitSpaRangeFlags.ControlRegionForHotAddOnly | NfitSpaRangeFlags.ProximityDomainValid, 0,
            NfitSpaRange.PersistentMemoryRangeType, 0x1_0000_0000, 0x0FFE_0000, 0x8008);
        AssertRoundTrip(S4Spa, spa, s => { NfitSpaRange.TryRead(s, out NfitSpaRange v, out string? e); return (v, e); }, (v, d) => v.WriteTo(d));
    }

    [Fact]
    public void Memory_device_map_round_trips_the_reference()
    {
        var map = new NfitMemoryDeviceMap(1, 0, 0, 2, 3, 0x0FFE_0000, 0, 0, 0, 1, NfitMemoryDeviceStateFlags.NotArmed);
        AssertRoundTrip(S4MemoryDeviceMap, map, s => { NfitMemoryDeviceMap.TryRead(s, out NfitMemoryDeviceMap v, out string? e); return (v, e); }, (v, d) => v.WriteTo(d));
    }

    [Fact]
    public void Control_region_round_trips_the_reference()
    {
        var region = new NfitControlRegion(5, 0x8086, 1, 1, 0, 0, 0, 0, 0, 0, 0x123457, 0x0301, 0, 0, 0, 0, 0, 0, 0);
        AssertRoundTrip(S3Slot1ControlRegion, region, s => { NfitControlRegion.TryRead(s, out NfitControlRegion v, out string? e); return (v, e); }, (v, d) => v.WriteTo(d));
    }

    [Fact]
    public void Platform_capabilities_round_trip_the_reference()
    {
        NfitPlatformCapabilities capabilities = NfitPlatformCapabilities.For(NfitPlatformCapabilityFlags.MemoryControllerFlush);
        Assert.Equal(1, capabilities.HighestValidCapability);
        AssertRoundTrip(S4Capabilities, capabilities, s => { NfitPlatformCapabilities.TryRead(s, out NfitPlatformCapabilities v, out string? e); return (v, e); }, (v, d) => v.WriteTo(d));
        Assert.Equal(1, NfitPlatformCapabilities.For(NfitPlatformCapabilityFlags.CpuCacheFlush | NfitPlatformCapabilityFlags.MemoryControllerFlush).HighestValidCapability);
    }

    [Fact]
    public void Short_control_region_without_windows_is_accepted()
    {
        byte[] bytes = Convert.FromHexString(S3Slot1ControlRegion)[..32];
        bytes[2] = 32;

        Assert.True(NfitControlRegion.TryRead(bytes, out NfitControlRegion region, out string? error), error);
        Assert.Equal(0x123457u, region.SerialNumber);
    }

    [Fact]
    public void Short_control_region_with_windows_is_rejected()
    {
        byte[] bytes = Convert.FromHexString(S3Slot1ControlRegion)[..32];
        bytes[2] = 32;
        bytes[NfitControlRegionLayout.BlockControlWindowCountOffset] = 1;

        Assert.False(NfitControlRegion.TryRead(bytes, out _, out string? error));
        Assert.Contains("block control windows", error);
    }

    [Fact]
    public void Spa_range_with_location_cookie_is_accepted()
    {
        var bytes = new byte[NfitSpaRangeLayout.SizeWithLocationCookie];
        Convert.FromHexString(S4Spa).CopyTo(bytes, 0);
        bytes[2] = NfitSpaRangeLayout.SizeWithLocationCookie;

        Assert.True(NfitSpaRange.TryRead(bytes, out NfitSpaRange spa, out string? error), error);
        Assert.Equal(0x1_0000_0000UL, spa.RangeBase);
    }

    [Theory]
    [InlineData(S4Spa, 55)] // declared length below the structure size
    [InlineData(S4MemoryDeviceMap, 47)]
    [InlineData(S4Capabilities, 15)]
    [InlineData(S4Capabilities, 3)] // shorter than the header
    [InlineData(S4Capabilities, 17)] // longer than the bytes available
    public void TryRead_rejects_bad_lengths(string hex, int declaredLength)
    {
        byte[] bytes = Convert.FromHexString(hex);
        bytes[2] = (byte)declaredLength;

        Assert.False(TryReadAny(bytes, out string? error));
        Assert.NotNull(error);
    }

    [Fact]
    public void TryRead_rejects_a_truncated_span_and_the_wrong_type()
    {
        Assert.False(NfitSpaRange.TryRead(Convert.FromHexString(S4Spa)[..40], out _, out _));
        Assert.False(NfitSpaRange.TryRead(Convert.FromHexString(S4MemoryDeviceMap), out _, out string? error));
        Assert.Contains("expected NFIT structure type 0", error);
        Assert.False(NfitStructureHeader.TryRead([0x00, 0x00], out _, out _));
    }

    private static bool TryReadAny(byte[] bytes, out string? error) => (NfitStructureType)bytes[0] switch
    {
        NfitStructureType.SpaRange => NfitSpaRange.TryRead(bytes, out _, out error),
        NfitStructureType.MemoryDeviceMap => NfitMemoryDeviceMap.TryRead(bytes, out _, out error),
        NfitStructureType.ControlRegion => NfitControlRegion.TryRead(bytes, out _, out error),
        _ => NfitPlatformCapabilities.TryRead(bytes, out _, out error),
    };

    private delegate void Writer<T>(T value, Span<byte> destination);

    private static void AssertRoundTrip<T>(string expectedHex, T value, Func<byte[], (T Value, string? Error)> read, Writer<T> write)
    {
        byte[] expected = Convert.FromHexString(expectedHex);
        var written = new byte[expected.Length];
        write(value, written);
        Assert.Equal(expectedHex, Convert.ToHexString(written));

        (T parsed, string? error) = read(expected);
        Assert.Null(error);
        Assert.Equal(value, parsed);
    }
}
