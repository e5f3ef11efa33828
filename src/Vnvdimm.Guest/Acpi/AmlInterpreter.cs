using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// An AML interpreter in the manner of ACPICA: definition blocks (DSDT, SSDTs) are loaded into one
/// namespace, then objects are evaluated by path, e.g.
/// <c>Evaluate(@"\_SB.NVDR.NV00._LSR", new AcpiInteger(0), new AcpiInteger(256))</c>. Method bodies
/// are parsed once into trees and reused; OperationRegion accesses go to the <see cref="IAmlPlatform"/>.
/// </summary>
/// <remarks>
/// Evaluations may run concurrently (Serialized methods take their per-method lock); loading a table
/// must not overlap evaluations. Integers are 64-bit unless the loaded DSDT's revision is below 2,
/// which makes every table 32-bit, as in ACPICA.
/// </remarks>
public sealed class AmlInterpreter
{
    /// <summary>What the Revision operator returns: the ACPICA version in Linux 6.1.</summary>
    internal const ulong InterpreterRevision = 0x20220331;

    private readonly Dictionary<string, int> _externalMethods = new(StringComparer.Ordinal);
    private readonly Lock _loadLock = new();
    private readonly long _loopTimeoutTicks;

    public AmlInterpreter(IAmlPlatform platform, AmlInterpreterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(platform);
        Platform = platform;
        Options = options ?? new AmlInterpreterOptions();
        if (Options.InitialIntegerWidth is not (32 or 64))
        {
            throw new ArgumentException("the integer width is 32 or 64 bits", nameof(options));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxCallDepth, nameof(options));
        _loopTimeoutTicks = (long)Math.Min(Options.LoopTimeout.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 2);
        SetIntegerWidth(Options.InitialIntegerWidth);
    }

    public AmlInterpreterOptions Options { get; }

    /// <summary>Bits in an AML Integer now: 64, or 32 after loading a DSDT of revision 0 or 1.</summary>
    public int IntegerWidth { get; private set; }

    internal IAmlPlatform Platform { get; }

    internal AmlNamespace Namespace { get; } = new();

    internal int IntegerByteWidth { get; private set; }

    internal ulong IntegerMask { get; private set; }

    /// <summary>Ones at the current width, shared.</summary>
    internal AcpiInteger OnesInteger { get; private set; } = AcpiInteger.Zero;

    internal long LoopTimeoutTicks => _loopTimeoutTicks;

    /// <summary>
    /// Loads a DSDT, SSDT or PSDT (header included): checks signature, length and checksum, builds its
    /// namespace objects and runs its module-level code. A DSDT sets the integer width.
    /// </summary>
    public void LoadTable(ReadOnlySpan<byte> table)
    {
        AmlTable parsed = AmlTable.Parse(table);
        lock (_loadLock)
        {
            if (parsed.Signature == "DSDT")
            {
                SetIntegerWidth(parsed.Revision < 2 ? 32 : 64);
            }
            var context = new AmlContext(this);
            var frame = new AmlFrame(context, Namespace.Root, isMethod: false, parsed, depth: 0, new AcpiObject?[7]);
            try
            {
                new AmlParser(this, parsed).LoadDefinitionBlock(frame);
                // Module-level packages may name objects defined later in the table.
                List<Action>? fixups = context.PendingFixups;
                context.PendingFixups = null;
                fixups?.ForEach(fixup => fixup());
            }
            finally
            {
                context.DeliverNotifications(Options.NotifyHandler);
            }
        }
    }

    /// <summary>
    /// Evaluates a method (with up to 7 arguments) or reads a named object. Returns the method's
    /// return value, or null if it returned nothing. Arguments are copied in and the result belongs to
    /// the caller. Throws <see cref="AmlException"/> if the path does not exist or the AML fails.
    /// </summary>
    public AcpiObject? Evaluate(string path, params ReadOnlySpan<AcpiObject> arguments)
    {
        if (arguments.Length > 7)
        {
            throw new ArgumentException("AML methods take at most 7 arguments", nameof(arguments));
        }
        NamespaceNode node = Find(path) ?? throw new AmlException($"AE_NOT_FOUND: {path} does not exist");
        var context = new AmlContext(this);
        try
        {
            switch (node.Object)
            {
                case AcpiMethod method:
                {
                    var args = new AcpiObject?[7];
                    for (int i = 0; i < arguments.Length; i++)
                    {
                        args[i] = AmlStore.Copy(arguments[i] ?? AcpiUninitialized.Instance);
                    }
                    AcpiObject? result = Invoke(method, args, context, depth: 1, null, 0);
                    // Packages may still hold objects the namespace owns; detach them.
                    return result is AcpiPackage ? AmlStore.Copy(result) : result;
                }
                case AcpiFieldUnit or AcpiBufferField:
                {
                    var frame = new AmlFrame(context, node.Parent ?? Namespace.Root, isMethod: false, null, 0, new AcpiObject?[7]);
                    return ReadNode(node, frame, 0);
                }
                case AcpiInteger or AcpiString or AcpiBuffer or AcpiPackage or AcpiReference:
                    return AmlStore.Copy(node.Object);
                default:
                    throw new AmlException($"AE_TYPE: {node.Path} is {AmlConvert.Describe(node.Object)} and has no value to evaluate");
            }
        }
        finally
        {
            context.DeliverNotifications(Options.NotifyHandler);
        }
    }

    /// <summary>True if <paramref name="path"/> names an object (absolute, e.g. <c>\_SB.NVDR._FIT</c>).</summary>
    public bool Exists(string path) => Find(path) is not null;

    /// <summary>The type of the object at <paramref name="path"/> (bare scopes such as \_GPE are Uninitialized), or null if none.</summary>
    public AcpiObjectType? GetObjectType(string path)
    {
        NamespaceNode? node = Find(path);
        return node is null ? null : node.Object?.Type ?? AcpiObjectType.Uninitialized;
    }

    /// <summary>Absolute paths of the children of <paramref name="path"/>, in load order (for device enumeration).</summary>
    public IReadOnlyList<string> GetChildren(string path)
    {
        NamespaceNode node = Find(path) ?? throw new AmlException($"AE_NOT_FOUND: {path} does not exist");
        return node.Children.Select(child => child.Path).ToArray();
    }

    /// <summary>Runs a method. <paramref name="args"/> holds 7 slots; depth counts nested calls.</summary>
    internal AcpiObject? Invoke(AcpiMethod method, AcpiObject?[] args, AmlContext context, int depth, AmlTable? callerTable, int callerOffset)
    {
        if (depth > Options.MaxCallDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new AmlException($"AE_AML_METHOD_LIMIT: calling {method.Node.Path} would nest method calls deeper than {Math.Min(depth - 1, Options.MaxCallDepth)}", callerTable, callerOffset);
        }
        AmlNode[] body = method.GetBody(this);
        var frame = new AmlFrame(context, method.Node, isMethod: true, method.Table, depth, args);
        if (method.IsSerialized)
        {
            lock (method.SyncRoot)
            {
                return Run(body, frame);
            }
        }
        return Run(body, frame);
    }

    /// <summary>The value of a named object as an operand: fields are read, 0-argument methods called.</summary>
    internal AcpiObject ReadNode(NamespaceNode node, AmlFrame frame, int offset)
    {
        switch (node.Object)
        {
            case AcpiFieldUnit field:
                return AmlFieldIo.Read(frame, field, offset);
            case AcpiBufferField bufferField:
                return AmlFieldIo.ReadBufferField(frame, bufferField, offset);
            case AcpiMethod { ArgumentCount: 0 } method:
                return Invoke(method, new AcpiObject?[7], frame.Context, frame.Depth + 1, frame.Table, offset)
                    ?? throw new AmlException($"AE_AML_NO_RETURN_VALUE: {node.Path} returned no value", frame.Table, offset);
            case AcpiMethod method:
                throw new AmlException($"AE_AML_OPERAND_TYPE: {node.Path} is a method taking {method.ArgumentCount} arguments", frame.Table, offset);
            case AcpiInteger or AcpiString or AcpiBuffer or AcpiPackage or AcpiReference or AcpiUninitialized:
                return node.Object;
            default:
                // Devices, regions and bare scopes have no value: operands see a reference to them.
                return new AcpiNameReference(node);
        }
    }

    internal void RegisterExternalMethod(string absolutePath, int argumentCount) =>
        _externalMethods.TryAdd(absolutePath, argumentCount);

    internal int? FindExternalMethod(string absolutePath) =>
        _externalMethods.TryGetValue(absolutePath, out int count) ? count : null;

    private static AcpiObject? Run(AmlNode[] body, AmlFrame frame) =>
        AmlNode.ExecuteBlock(body, frame) == AmlCompletion.Return ? frame.ReturnValue : null;

    private NamespaceNode? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AmlNamePath parsed = AmlNamePath.ParseUserPath(path.StartsWith('\\') ? path : "\\" + path);
        return AmlNamespace.Lookup(Namespace.Root, parsed, null);
    }

    private void SetIntegerWidth(int bits)
    {
        IntegerWidth = bits;
        IntegerByteWidth = bits / 8;
        IntegerMask = bits == 32 ? uint.MaxValue : ulong.MaxValue;
        OnesInteger = new AcpiInteger(IntegerMask);
    }
}
