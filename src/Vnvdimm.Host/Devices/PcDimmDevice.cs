using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Host.Devices;

/// <summary>-device pc-dimm: plain hot-pluggable RAM. Shares the slot space with NVDIMMs.</summary>
public sealed class PcDimmDevice(string? id, MemoryBackend? backend, int slot, ulong address, uint node)
    : MemoryDevice(id, backend, slot, address, node)
{
    public override string Driver => "pc-dimm";
    public override string Kind => "dimm";
    public override ulong ExposedSize => Backend?.Size ?? 0;

    internal override void PrepareMemoryRegion()
    {
        if (Backend is null)
        {
            throw new QemuOptionException("'memdev' property must be set");
        }
    }
}
