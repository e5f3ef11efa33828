using Vnvdimm.Platform.Bus;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest.Hardware;

/// <summary>The guest's view of a <see cref="PlatformBus"/>: accesses only, no device registration.</summary>
public sealed class PlatformBusHardware : IGuestHardware
{
    private readonly PlatformBus _bus;

    public PlatformBusHardware(PlatformBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
        _bus.Sci += _ => Sci?.Invoke();
    }

    public IGuestMemory Memory => _bus.Memory;

    public ulong Gpe0Status => _bus.Gpe0Status;

    public event Action? Sci;

    public uint ReadPort(ushort port, int size) => _bus.ReadPort(port, size);

    public void WritePort(ushort port, int size, uint value) => _bus.WritePort(port, size, value);

    public void ClearGpe0Status(ulong mask) => _bus.ClearGpe0Status(mask);
}
