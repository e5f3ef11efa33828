using Vnvdimm.Formats.Acpi;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Firmware;

/// <summary>One table as the guest holds it after the firmware ran: its address and its bytes read back from guest RAM.</summary>
public sealed record LoadedAcpiTable(GuestAddress Address, SdtHeader Header, byte[] Bytes)
{
    public string Signature => Header.Signature;
}
