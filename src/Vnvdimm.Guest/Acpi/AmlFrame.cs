namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// State shared by one top-level evaluation (or table load) and every method it calls: notifications
/// waiting to be delivered when it finishes, and module-level packages whose names resolve at the end
/// of a load.
/// </summary>
internal sealed class AmlContext(AmlInterpreter interpreter)
{
    private List<(string Path, uint Value)>? _notifications;

    public AmlInterpreter Interpreter { get; } = interpreter;

    public List<Action>? PendingFixups { get; set; }

    public void QueueNotify(string path, uint value) => (_notifications ??= []).Add((path, value));

    /// <summary>Hands queued notifications to the handler, in order (Linux runs notify handlers after the AML, from a work queue).</summary>
    public void DeliverNotifications(Action<string, uint>? handler)
    {
        if (_notifications is null)
        {
            return;
        }
        List<(string Path, uint Value)> queued = _notifications;
        _notifications = null;
        foreach ((string path, uint value) in queued)
        {
            handler?.Invoke(path, value);
        }
    }
}

/// <summary>
/// One method activation (or the module-level code of a table): Args, Locals, the return value and the
/// named objects the method created, which disappear when it returns (ACPICA deletes them too).
/// </summary>
internal sealed class AmlFrame
{
    private NamespaceNode[]? _names;
    private int _nameCount;

    public AmlFrame(AmlContext context, NamespaceNode scope, bool isMethod, AmlTable? table, int depth, AcpiObject?[] args)
    {
        Context = context;
        Scope = scope;
        IsMethod = isMethod;
        Table = table;
        Depth = depth;
        Args = args;
    }

    public AmlContext Context { get; }

    public AmlInterpreter Interpreter => Context.Interpreter;

    /// <summary>The method's node, or the scope module-level code currently runs in.</summary>
    public NamespaceNode Scope { get; set; }

    public bool IsMethod { get; }

    /// <summary>The table the running code came from (for error offsets).</summary>
    public AmlTable? Table { get; }

    public int Depth { get; }

    public AcpiObject?[] Locals { get; } = new AcpiObject?[8];

    /// <summary>Arg0..Arg6; null where the caller passed fewer.</summary>
    public AcpiObject?[] Args { get; }

    public AcpiObject? ReturnValue { get; set; }

    public NamespaceNode? FindName(uint segment)
    {
        for (int i = 0; i < _nameCount; i++)
        {
            if (_names![i].Segment == segment)
            {
                return _names[i];
            }
        }
        return null;
    }

    /// <summary>
    /// Creates a named object: in the frame for code inside a method, in the namespace for module-level
    /// code. Fails like ACPICA when the name exists already (AE_ALREADY_EXISTS).
    /// </summary>
    public NamespaceNode Declare(AmlNamePath path, AcpiObject value, int offset)
    {
        if (path.Segments.Length == 0)
        {
            throw new AmlException("AE_BAD_PATHNAME: a named object cannot have a null name", Table, offset);
        }
        if (!IsMethod)
        {
            NamespaceNode parent = AmlNamespace.ResolveParent(Scope, path, null)
                ?? throw new AmlException($"AE_NOT_FOUND: the scope of {path} does not exist", Table, offset);
            return Interpreter.Namespace.TryAdd(parent, path.LastSegment, value)
                ?? throw new AmlException($"AE_ALREADY_EXISTS: {path} is already defined", Table, offset);
        }
        if (!path.IsSingleRelative)
        {
            throw new AmlException($"AE_SUPPORT: objects created inside a method must have a plain NameSeg, not {path}", Table, offset);
        }
        uint segment = path.LastSegment;
        if (FindName(segment) is not null)
        {
            throw new AmlException($"AE_ALREADY_EXISTS: {path} is already defined in this method invocation", Table, offset);
        }
        var node = new NamespaceNode(segment, Scope, value);
        _names ??= new NamespaceNode[8];
        if (_nameCount == _names.Length)
        {
            Array.Resize(ref _names, _names.Length * 2);
        }
        _names[_nameCount++] = node;
        return node;
    }
}
