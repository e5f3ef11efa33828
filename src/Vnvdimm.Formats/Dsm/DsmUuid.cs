namespace Vnvdimm.Formats.Dsm;

/// <summary>
/// The _DSM UUIDs (Arg0) the NVDIMM AML checks. <see cref="Guid"/>'s default byte layout
/// (<see cref="Guid.ToByteArray()"/>) is the mixed-endian order of an ACPI ToUUID buffer.
/// </summary>
public static class DsmUuid
{
    /// <summary>The NVDIMM root device, handle 0.</summary>
    public static readonly Guid Root = new("2F10E7A4-9E91-11E4-89D3-123B93F75CBA");

    /// <summary>The Intel NVDIMM device DSM, handles slot+1.</summary>
    public static readonly Guid NvdimmDevice = new("4309AC30-0D11-11E4-9191-0800200C9A66");

    /// <summary>QEMU's private root methods, handle 0x10000.</summary>
    public static readonly Guid QemuPrivate = new("648B9CF2-CDA1-4312-8AD9-49C4AF32BD62");

    /// <summary>The UUID the AML expects for <paramref name="handle"/>: root, QEMU-private, or the device DSM.</summary>
    public static Guid ForHandle(uint handle) => handle switch
    {
        DsmHandle.Root => Root,
        DsmHandle.QemuPrivateRoot => QemuPrivate,
        _ => NvdimmDevice,
    };
}
