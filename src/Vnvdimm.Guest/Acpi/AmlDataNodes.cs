using System.Diagnostics;

namespace Vnvdimm.Guest.Acpi;

/// <summary>Zero, One, ByteConst … QWordConst: cached objects for both integer widths.</summary>
internal sealed class ConstIntegerNode(int offset, ulong value) : AmlNode(offset)
{
    private readonly AcpiInteger _wide = AcpiInteger.From(value);
    private readonly AcpiInteger _narrow = AcpiInteger.From(value & uint.MaxValue);

    public ulong Value { get; } = value;

    // Constants in a 32-bit interpreter are truncated, as ACPICA truncates them when it builds them.
    public override AcpiObject Evaluate(AmlFrame frame) => frame.Interpreter.IntegerByteWidth == 4 ? _narrow : _wide;
}

internal sealed class OnesNode(int offset) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame) => frame.Interpreter.OnesInteger;
}

internal sealed class StringNode(int offset, string value) : AmlNode(offset)
{
    private readonly AcpiString _value = new(value);

    public override AcpiObject Evaluate(AmlFrame frame) => _value;
}

/// <summary>Timer: a monotonic count of 100 ns units.</summary>
internal sealed class TimerNode(int offset) : AmlNode(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame) =>
        Result((ulong)(Stopwatch.GetTimestamp() * (10_000_000.0 / Stopwatch.Frequency)), frame);
}

/// <summary>
/// Buffer (BufferSize) {ByteList}: the size is evaluated each time; the buffer is at least as long as
/// its initializer, zero-filled beyond it. A new buffer every evaluation, since buffers are mutable.
/// </summary>
internal sealed class BufferNode(int offset, AmlNode size, byte[] initializer) : AmlNode(offset)
{
    /// <summary>Largest buffer AML may create (ACPICA has no limit but its allocator's).</summary>
    public const int MaxLength = 16 << 20;

    public override AcpiObject Evaluate(AmlFrame frame)
    {
        ulong requested = Integer(size, frame);
        if (requested > MaxLength)
        {
            throw Error(frame, $"AE_NO_MEMORY: Buffer of 0x{requested:X} bytes is larger than the 16 MiB this interpreter allows");
        }
        var data = new byte[Math.Max((int)requested, initializer.Length)];
        initializer.CopyTo(data, 0);
        return new AcpiBuffer(data, takeOwnership: true);
    }
}

/// <summary>One PackageElement: a data object, or a NameString resolved when the package is built.</summary>
internal sealed class AmlPackageElement(int offset, AmlNode? value, AmlNamePath? name)
{
    public int Offset { get; } = offset;

    public AmlNode? Value { get; } = value;

    public AmlNamePath? Name { get; } = name;
}

/// <summary>
/// Package / VarPackage. Named elements resolve as ACPICA resolves them: data objects are used
/// directly (a named Buffer is shared, not copied), fields are read, devices and methods become
/// references, unknown names become uninitialized elements.
/// </summary>
internal sealed class PackageNode(int offset, AmlNode? count, int fixedCount, AmlPackageElement[] elements) : AmlNode(offset)
{
    public const int MaxElements = 1 << 20;

    public override AcpiObject Evaluate(AmlFrame frame)
    {
        int length = fixedCount;
        if (count is not null)
        {
            ulong requested = Integer(count, frame);
            length = requested <= MaxElements ? (int)requested : throw Error(frame, $"AE_NO_MEMORY: VarPackage of 0x{requested:X} elements");
        }
        var items = new AcpiObject[length];
        int initialized = Math.Min(length, elements.Length);
        for (int i = 0; i < initialized; i++)
        {
            AmlPackageElement element = elements[i];
            if (element.Value is not null)
            {
                AcpiObject value = element.Value.Evaluate(frame, out bool shared);
                items[i] = shared ? AmlStore.Copy(value) : value;
            }
            else
            {
                items[i] = ResolveName(frame, items, i, element);
            }
        }
        for (int i = initialized; i < length; i++)
        {
            items[i] = AcpiUninitialized.Instance;
        }
        return new AcpiPackage(items);
    }

    private static AcpiObject ResolveName(AmlFrame frame, AcpiObject[] items, int index, AmlPackageElement element)
    {
        NamespaceNode? node = AmlNamespace.Lookup(frame.Scope, element.Name!, frame);
        if (node is not null)
        {
            return Resolved(frame, node, element.Offset);
        }
        if (!frame.IsMethod)
        {
            // Module-level packages may name objects defined further on: resolve again when the load ends.
            NamespaceNode scope = frame.Scope;
            frame.Context.PendingFixups ??= [];
            frame.Context.PendingFixups.Add(() =>
            {
                NamespaceNode? late = AmlNamespace.Lookup(scope, element.Name!, null);
                if (late is not null)
                {
                    items[index] = Resolved(frame, late, element.Offset);
                }
            });
        }
        return AcpiUninitialized.Instance;
    }

    private static AcpiObject Resolved(AmlFrame frame, NamespaceNode node, int offset) => node.Object switch
    {
        AcpiInteger or AcpiString or AcpiBuffer or AcpiPackage => node.Object,
        AcpiFieldUnit or AcpiBufferField => frame.Interpreter.ReadNode(node, frame, offset),
        _ => new AcpiNameReference(node),
    };
}
