using Vnvdimm.Formats.Dsm;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Devices;

namespace Vnvdimm.Host.Dsm;

/// <summary>
/// An NVDIMM's namespace label storage: the last label-size bytes of its backend (research
/// §5.5), read and written through the backend's mapping, so share=on writes reach the file and
/// share=off ones stay private to the VM. Reads and writes of one area exclude each other, so a
/// vCPU never reads half of another vCPU's label write.
/// </summary>
internal sealed class NvdimmLabelArea
{
    private readonly Lock _lock = new();
    private readonly MemoryBackend _backend;
    private readonly ulong _areaOffset;

    public NvdimmLabelArea(NvdimmDevice device)
    {
        Device = device;
        _backend = device.Backend ?? throw new ArgumentException($"NVDIMM '{device.Id}' has no memdev.", nameof(device));
        Size = device.LabelSize;
        _areaOffset = device.LabelAreaOffset;
        IsReadOnly = device.IsReadOnly;
        IsPmem = _backend.IsPmem;
    }

    public NvdimmDevice Device { get; }

    /// <summary>The label-size property; 0 for a label-less NVDIMM.</summary>
    public ulong Size { get; }

    public bool HasLabels => Size != 0;

    /// <summary>A ROM backend (readonly=on): Set Namespace Label Data answers status 1.</summary>
    public bool IsReadOnly { get; }

    /// <summary>pmem=on: QEMU persists its label writes (pmem_memcpy_persist); we flush them.</summary>
    public bool IsPmem { get; }

    /// <summary>
    /// QEMU's nvdimm_rw_label_data_check, in its order: the u32 sum offset + length wraps, the
    /// range ends past the label area, or the length exceeds the max transfer → status 3.
    /// </summary>
    public static DsmStatus CheckRange(uint offset, uint length, ulong labelSize)
    {
        uint end = unchecked(offset + length);
        if (end < offset || end > labelSize || length > LabelDataArguments.MaxTransfer)
        {
            return DsmStatus.InvalidInput;
        }
        return DsmStatus.Success;
    }

    /// <summary>
    /// Copies label bytes [offset, offset + destination.Length) out; the range must pass
    /// <see cref="CheckRange"/>. False when the backend is no longer mapped (the machine is going away).
    /// </summary>
    public bool TryRead(uint offset, Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return true;
        }
        lock (_lock)
        {
            return _backend.TryRead(_areaOffset + offset, destination);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the label area at <paramref name="offset"/>, then
    /// flushes it for pmem=on. False when the backend is no longer mapped.
    /// </summary>
    public bool TryWrite(uint offset, ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty)
        {
            return true;
        }
        ulong backendOffset = _areaOffset + offset;
        lock (_lock)
        {
            if (!_backend.TryWrite(backendOffset, source))
            {
                return false;
            }
        }
        // Durable before the guest sees status 0 (msync; a no-op for share=off).
        return !IsPmem || _backend.TryFlush(backendOffset, (ulong)source.Length);
    }
}
