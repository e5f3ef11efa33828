namespace Vnvdimm.Platform.Bus;

/// <summary>A device's handler for a range of I/O ports. Offsets are relative to the range base.</summary>
public interface IPortIoHandler
{
    /// <summary>A read of <paramref name="size"/> bytes (1, 2 or 4).</summary>
    uint Read(ushort offset, int size);

    /// <summary>A write of <paramref name="size"/> bytes (1, 2 or 4).</summary>
    void Write(ushort offset, int size, uint value);
}
