namespace Vnvdimm.Guest.Acpi;

/// <summary>How a term finished: normally, or by Return, Break or Continue unwinding to its handler.</summary>
internal enum AmlCompletion
{
    Normal,
    Return,
    Break,
    Continue,
}

/// <summary>
/// One parsed AML term. Expressions produce a value with <see cref="Evaluate(AmlFrame)"/>; statements
/// run with <see cref="Execute"/>. Nodes are immutable after parsing and shared by concurrent calls.
/// </summary>
internal abstract class AmlNode(int offset)
{
    /// <summary>Offset of the term's opcode in its table.</summary>
    public int Offset { get; } = offset;

    /// <summary>
    /// True if what <see cref="Evaluate(AmlFrame)"/> returns may still be held elsewhere (by a name, a
    /// local or an argument), so that anyone keeping it must copy it first.
    /// </summary>
    public virtual bool ResultIsShared => false;

    public abstract AcpiObject Evaluate(AmlFrame frame);

    /// <summary>Evaluates and reports whether the result is shared, as precisely as the node knows.</summary>
    public virtual AcpiObject Evaluate(AmlFrame frame, out bool shared)
    {
        shared = ResultIsShared;
        return Evaluate(frame);
    }

    public virtual AmlCompletion Execute(AmlFrame frame)
    {
        Evaluate(frame);
        return AmlCompletion.Normal;
    }

    public static AmlCompletion ExecuteBlock(AmlNode[] nodes, AmlFrame frame)
    {
        foreach (AmlNode node in nodes)
        {
            AmlCompletion completion = node.Execute(frame);
            if (completion != AmlCompletion.Normal)
            {
                return completion;
            }
        }
        return AmlCompletion.Normal;
    }

    protected AmlException Error(AmlFrame frame, string message) => new(message, frame.Table, Offset);

    protected ulong Integer(AmlNode operand, AmlFrame frame) => AmlConvert.ToInteger(operand.Evaluate(frame), frame, operand.Offset);

    protected static AcpiInteger Result(ulong value, AmlFrame frame) => AcpiInteger.From(value & frame.Interpreter.IntegerMask);

    protected static AcpiInteger Truth(bool value, AmlFrame frame) => value ? frame.Interpreter.OnesInteger : AcpiInteger.Zero;
}

/// <summary>A term with no value (If, Name, Notify …); using it as an operand is an error.</summary>
internal abstract class AmlStatement(int offset) : AmlNode(offset)
{
    public sealed override AcpiObject Evaluate(AmlFrame frame) =>
        throw Error(frame, "AE_AML_NO_OPERAND: this term does not produce a value");

    public abstract override AmlCompletion Execute(AmlFrame frame);
}

/// <summary>
/// A SuperName or Target: something that can be stored to, referenced (RefOf) or inspected without
/// being read (SizeOf, ObjectType).
/// </summary>
internal abstract class AmlSuperName(int offset) : AmlNode(offset)
{
    public abstract void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, bool copyObject);

    /// <summary>The object itself, unread (a field stays a field); null when it holds nothing.</summary>
    public abstract AcpiObject? Resolve(AmlFrame frame);

    public abstract AcpiReference MakeReference(AmlFrame frame);
}

internal sealed class LocalNode(int offset, int index) : AmlSuperName(offset)
{
    public int Index { get; } = index;

    public override bool ResultIsShared => true;

    public override AcpiObject Evaluate(AmlFrame frame) =>
        frame.Locals[Index] ?? throw Error(frame, $"AE_AML_UNINITIALIZED_LOCAL: Local{Index} is used before it is set");

    // Locals are overwritten, even when they hold a reference (ACPICA dsmthdat.c).
    public override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, bool copyObject) =>
        frame.Locals[Index] = valueIsShared ? AmlStore.Copy(value) : value;

    public override AcpiObject? Resolve(AmlFrame frame) => frame.Locals[Index];

    public override AcpiReference MakeReference(AmlFrame frame) => new AcpiLocalReference(frame, Index, isArgument: false);
}

internal sealed class ArgNode(int offset, int index) : AmlSuperName(offset)
{
    public int Index { get; } = index;

    public override bool ResultIsShared => true;

    public override AcpiObject Evaluate(AmlFrame frame) =>
        frame.Args[Index] ?? throw Error(frame, $"AE_AML_UNINITIALIZED_ARG: Arg{Index} was not passed");

    public override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, bool copyObject)
    {
        // An ArgX holding RefOf(name) stores through it, without implicit conversion (ACPICA dsmthdat.c).
        if (frame.Args[Index] is AcpiNameReference reference)
        {
            AmlStore.ToNode(frame, reference.Node, value, valueIsShared, copyObject: true, Offset);
            return;
        }
        if (frame.Args[Index] is AcpiLocalReference local)
        {
            local.Store(frame, value, valueIsShared, Offset);
            return;
        }
        frame.Args[Index] = valueIsShared ? AmlStore.Copy(value) : value;
    }

    public override AcpiObject? Resolve(AmlFrame frame) => frame.Args[Index];

    public override AcpiReference MakeReference(AmlFrame frame) => new AcpiLocalReference(frame, Index, isArgument: true);
}

/// <summary>A NameString used as an operand or target; global lookups are cached per namespace generation.</summary>
internal sealed class NameNode(int offset, AmlNamePath path) : AmlSuperName(offset)
{
    private volatile CachedLookup? _cache;

    public AmlNamePath Path { get; } = path;

    public override bool ResultIsShared => true;

    public NamespaceNode? Find(AmlFrame frame)
    {
        if (frame.IsMethod && Path.IsSingleRelative)
        {
            NamespaceNode? local = frame.FindName(Path.Segments[0]);
            if (local is not null)
            {
                return local;
            }
        }
        int generation = frame.Interpreter.Namespace.Generation;
        CachedLookup? cache = _cache;
        if (cache is not null && cache.Generation == generation && ReferenceEquals(cache.Scope, frame.Scope))
        {
            return cache.Node;
        }
        NamespaceNode? found = AmlNamespace.Lookup(frame.Scope, Path, null);
        if (found is not null)
        {
            _cache = new CachedLookup(frame.Scope, found, generation);
        }
        return found;
    }

    public NamespaceNode FindOrThrow(AmlFrame frame) =>
        Find(frame) ?? throw Error(frame, $"AE_NOT_FOUND: {Path} does not exist (looked up from {frame.Scope.Path})");

    public override AcpiObject Evaluate(AmlFrame frame) => frame.Interpreter.ReadNode(FindOrThrow(frame), frame, Offset);

    public override AcpiObject Evaluate(AmlFrame frame, out bool shared)
    {
        NamespaceNode node = FindOrThrow(frame);
        // A field read or a method result is new; a data object still belongs to the name.
        shared = node.Object is AcpiBuffer or AcpiPackage;
        return frame.Interpreter.ReadNode(node, frame, Offset);
    }

    public override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, bool copyObject) =>
        AmlStore.ToNode(frame, FindOrThrow(frame), value, valueIsShared, copyObject, Offset);

    public override AcpiObject? Resolve(AmlFrame frame) => FindOrThrow(frame).Object;

    public override AcpiReference MakeReference(AmlFrame frame) => new AcpiNameReference(FindOrThrow(frame));

    private sealed record CachedLookup(NamespaceNode Scope, NamespaceNode Node, int Generation);
}

/// <summary>The Debug object: stores are accepted and dropped.</summary>
internal sealed class DebugNode(int offset) : AmlSuperName(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame) => throw Error(frame, "AE_AML_OPERAND_TYPE: the Debug object cannot be read");

    public override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, bool copyObject)
    {
    }

    public override AcpiObject? Resolve(AmlFrame frame) => null;

    public override AcpiReference MakeReference(AmlFrame frame) => throw Error(frame, "AE_AML_OPERAND_TYPE: cannot reference the Debug object");
}

/// <summary>NullName as a target: the result is discarded.</summary>
internal sealed class NullTargetNode(int offset) : AmlSuperName(offset)
{
    public override AcpiObject Evaluate(AmlFrame frame) => throw Error(frame, "AE_AML_OPERAND_TYPE: a null name has no value");

    public override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, bool copyObject)
    {
    }

    public override AcpiObject? Resolve(AmlFrame frame) => null;

    public override AcpiReference MakeReference(AmlFrame frame) => throw Error(frame, "AE_AML_OPERAND_TYPE: cannot reference a null name");
}

/// <summary>Index, RefOf or DerefOf in a SuperName position: stores go through the reference they produce.</summary>
internal sealed class ReferenceTargetNode(int offset, AmlNode expression) : AmlSuperName(offset)
{
    public override bool ResultIsShared => expression.ResultIsShared;

    public override AcpiObject Evaluate(AmlFrame frame) => expression.Evaluate(frame);

    public override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, bool copyObject)
    {
        switch (Reference(frame))
        {
            case AcpiReference reference:
                reference.Store(frame, value, valueIsShared, Offset);
                break;
            case AcpiString name when expression is DerefOfNode:
                AmlStore.ToNode(frame, DerefOfNode.FindByString(frame, name, Offset), value, valueIsShared, copyObject, Offset);
                break;
            default:
                throw Error(frame, "AE_AML_OPERAND_TYPE: the store target does not evaluate to a reference");
        }
    }

    public override AcpiObject? Resolve(AmlFrame frame) => Reference(frame) switch
    {
        AcpiReference reference => reference.Target(frame),
        var other => other,
    };

    public override AcpiReference MakeReference(AmlFrame frame) =>
        Reference(frame) as AcpiReference ?? throw Error(frame, "AE_AML_OPERAND_TYPE: not a reference");

    // DerefOf(x) as a target means "the object x refers to", so the reference is x itself.
    private AcpiObject Reference(AmlFrame frame) =>
        expression is DerefOfNode deref ? deref.Operand.Evaluate(frame) : expression.Evaluate(frame);
}
