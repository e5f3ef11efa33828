using System.Buffers.Binary;

namespace Vnvdimm.Formats.Acpi.Nfit;

/// <summary>
/// A Platform Capabilities structure. <see cref="HighestValidCapability"/> is the bit index of the
/// highest capability bit the platform reports on (bits above it are to be ignored).
/// </summary>
public readonly record struct NfitPlatformCapabilities(byte HighestValidCapability, NfitPlatformCapabilityFlags Capabilities)
{
    /// <summary>The structure QEMU writes: highest valid capability = index of the top set bit.</summary>
    public static NfitPlatformCapabilities For(NfitPlatformCapabilityFlags capabilities)
    {
        if (capabilities == NfitPlatformCapabilityFlags.None)
        {
            throw new ArgumentException("a Platform Capabilities structure needs at least one capability", nameof(capabilities));
        }
        return new NfitPlatformCapabilities((byte)(31 - uint.LeadingZeroCount((uint)capabilities)), capabilities);
    }

    public void WriteTo(Span<byte> destination)
    {
        Span<byte> structure = destination[..NfitPlatformCapabilitiesLayout.Size];
        structure.Clear();
        new NfitStructureHeader(NfitStructureType.PlatformCapabilities, NfitPlatformCapabilitiesLayout.Size).WriteTo(structure);
        structure[NfitPlatformCapabilitiesLayout.HighestValidCapabilityOffset] = HighestValidCapability;
        BinaryPrimitives.WriteUInt32LittleEndian(structure[NfitPlatformCapabilitiesLayout.CapabilitiesOffset..], (uint)Capabilities);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out NfitPlatformCapabilities capabilities, out string? error)
    {
        capabilities = default;
        if (!NfitStructureHeader.TryReadExpected(source, NfitStructureType.PlatformCapabilities, NfitPlatformCapabilitiesLayout.Size, out error))
        {
            return false;
        }
        capabilities = new NfitPlatformCapabilities(
            source[NfitPlatformCapabilitiesLayout.HighestValidCapabilityOffset],
            (NfitPlatformCapabilityFlags)BinaryPrimitives.ReadUInt32LittleEndian(source[NfitPlatformCapabilitiesLayout.CapabilitiesOffset..]));
        return true;
    }
}
