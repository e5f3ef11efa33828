using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Host.Devices;

/// <summary>
/// -device nvdimm: a persistent-memory DIMM. The label area is the last <see cref="LabelSize"/>
/// bytes of the backend; the guest maps align_down(backend size - label size, alignment) bytes.
/// </summary>
public sealed class NvdimmDevice : MemoryDevice
{
    /// <summary>QEMU's MIN_NAMESPACE_LABEL_SIZE.</summary>
    public const ulong MinLabelSize = 0x20000;

    private ulong _pmemSize;

    public NvdimmDevice(string? id, MemoryBackend? backend, int slot, ulong address, uint node, ulong labelSize, bool unarmed, Guid uuid)
        : base(id, backend, slot, address, node)
    {
        LabelSize = labelSize;
        Unarmed = unarmed;
        Uuid = uuid;
    }

    public ulong LabelSize { get; }
    public bool Unarmed { get; }
    public Guid Uuid { get; }

    public override string Driver => "nvdimm";
    public override string Kind => "nvdimm";
    public override ulong ExposedSize => _pmemSize;

    /// <summary>Offset of the label area inside the backend.</summary>
    public ulong LabelAreaOffset => Backend!.Size - LabelSize;

    /// <summary>True when the guest cannot change the backend (a read-only file backend).</summary>
    public bool IsReadOnly => Backend?.IsReadOnly ?? false;

    internal override void PrepareMemoryRegion()
    {
        if (_pmemSize != 0)
        {
            return;
        }
        if (Backend is null)
        {
            throw new QemuOptionException("'memdev' property must be set");
        }
        ulong size = Backend.Size;
        ulong align = Backend.Alignment;
        ulong pmem = size > LabelSize ? (size - LabelSize) / align * align : 0;
        if (size <= LabelSize || pmem == 0)
        {
            throw new QemuOptionException(
                $"the size of memdev {Backend.Id} (0x{size:x}) is too small to contain nvdimm label (0x{LabelSize:x}) and aligned PMEM (0x{align:x})");
        }
        if (!Unarmed && Backend.IsReadOnly)
        {
            throw new QemuOptionException($"'unarmed' property must be 'on' since memdev {Backend.Id} is read-only");
        }
        _pmemSize = pmem;
    }
}
