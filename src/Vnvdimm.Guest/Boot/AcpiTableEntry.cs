using Vnvdimm.Formats.Acpi;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest.Boot;

/// <summary>One ACPI table as the guest found it in memory.</summary>
public sealed record AcpiTableEntry(GuestAddress Address, SdtHeader Header, byte[] Bytes)
{
    public string Signature => Header.Signature;

    /// <summary>Whether all bytes sum to zero (Linux only warns when they do not).</summary>
    public bool ChecksumValid => AcpiChecksum.IsValid(Bytes);
}
