namespace Vnvdimm.Formats.Dsm;

/// <summary>QEMU-private root functions (handle 0x10000, UUID 648B9CF2-CDA1-4312-8AD9-49C4AF32BD62).</summary>
public enum QemuPrivateFunction : uint
{
    Query = 0,
    ReadFit = 1,
}
