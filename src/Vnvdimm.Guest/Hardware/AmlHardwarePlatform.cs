using Vnvdimm.Guest.Acpi;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Guest.Hardware;

/// <summary>Routes the AML interpreter's SystemIO and SystemMemory accesses to the guest's hardware.</summary>
public sealed class AmlHardwarePlatform(IGuestHardware hardware) : IAmlPlatform
{
    private readonly IGuestHardware _hardware = hardware ?? throw new ArgumentNullException(nameof(hardware));

    public uint ReadPort(ushort port, int width) => _hardware.ReadPort(port, width);

    public void WritePort(ushort port, int width, uint value) => _hardware.WritePort(port, width, value);

    public bool TryReadMemory(GuestAddress address, Span<byte> destination) => _hardware.Memory.TryRead(address, destination);

    public bool TryWriteMemory(GuestAddress address, ReadOnlySpan<byte> source) => _hardware.Memory.TryWrite(address, source);
}
