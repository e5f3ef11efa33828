using System.Buffers;

namespace Vnvdimm.Host.Acpi;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over an array of exactly the right size, so a table is
/// encoded straight into its final (often large-object-heap) array; overrunning it means an AML
/// length was computed wrong, which throws.
/// </summary>
internal sealed class FixedBufferWriter(byte[] destination, int start) : IBufferWriter<byte>
{
    public int Position { get; private set; } = start;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, destination.Length - Position);
        Position += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => destination.AsMemory(Position, Reserve(sizeHint));

    public Span<byte> GetSpan(int sizeHint = 0) => destination.AsSpan(Position, Reserve(sizeHint));

    private int Reserve(int sizeHint)
    {
        int available = destination.Length - Position;
        if (sizeHint > available)
        {
            throw new InvalidOperationException($"encoding needs {sizeHint} more bytes but only {available} of the computed {destination.Length} remain");
        }
        return available;
    }
}
