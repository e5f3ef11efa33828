namespace Vnvdimm.Guest.Acpi;

/// <summary>One node of the ACPI namespace: a name, its parent, its object and its children.</summary>
internal sealed class NamespaceNode
{
    private Dictionary<uint, NamespaceNode>? _children;
    private List<NamespaceNode>? _ordered;
    private string? _path;

    public NamespaceNode(uint segment, NamespaceNode? parent, AcpiObject? value)
    {
        Segment = segment;
        Parent = parent;
        Object = value;
    }

    public uint Segment { get; }

    public NamespaceNode? Parent { get; }

    /// <summary>The attached object; null for a bare scope such as <c>\_GPE</c>.</summary>
    public AcpiObject? Object { get; set; }

    /// <summary>Children in load order.</summary>
    public IReadOnlyList<NamespaceNode> Children => (IReadOnlyList<NamespaceNode>?)_ordered ?? [];

    /// <summary>Absolute path without segment padding: <c>\_SB.NVDR.NV00</c>; the root is <c>\</c>.</summary>
    public string Path => _path ??= BuildPath();

    public NamespaceNode? FindChild(uint segment) =>
        _children is not null && _children.TryGetValue(segment, out NamespaceNode? child) ? child : null;

    public void AddChild(NamespaceNode child)
    {
        _children ??= [];
        _ordered ??= [];
        _children.Add(child.Segment, child);
        _ordered.Add(child);
    }

    private string BuildPath()
    {
        if (Parent is null)
        {
            return "\\";
        }
        string segment = AmlNamePath.SegmentToDisplay(Segment);
        return Parent.Parent is null ? "\\" + segment : Parent.Path + "." + segment;
    }
}

/// <summary>
/// The namespace all loaded tables share. Only table loads change it (objects a method creates live
/// in the method's frame), so lookups from running methods need no lock.
/// </summary>
internal sealed class AmlNamespace
{
    public AmlNamespace()
    {
        Root = new NamespaceNode(0, null, null);
        // ACPICA's predefined names (utglobal.c): scopes every table may refer to without declaring them.
        AddPredefined("_GPE", null);
        AddPredefined("_PR_", null);
        AddPredefined("_SB_", new AcpiDevice());
        AddPredefined("_SI_", null);
        AddPredefined("_TZ_", new AcpiDevice());
        AddPredefined("_REV", new AcpiInteger(2));
        AddPredefined("_OS_", new AcpiString("Microsoft Windows NT"));
    }

    public NamespaceNode Root { get; }

    /// <summary>Bumped on every change, so cached lookups and parsed method bodies know to redo their work.</summary>
    public int Generation { get; private set; }

    /// <summary>Adds a child, or returns null when the name already exists.</summary>
    public NamespaceNode? TryAdd(NamespaceNode parent, uint segment, AcpiObject? value)
    {
        if (parent.FindChild(segment) is not null)
        {
            return null;
        }
        var node = new NamespaceNode(segment, parent, value);
        parent.AddChild(node);
        Generation++;
        return node;
    }

    /// <summary>
    /// Finds the object a NameString refers to from <paramref name="scope"/>: a bare NameSeg is searched
    /// in the scope and then each parent up to the root (ACPI 6.5 §5.3); anything with a prefix or
    /// several segments is followed exactly. Names a running method created are found through
    /// <paramref name="frame"/>.
    /// </summary>
    public static NamespaceNode? Lookup(NamespaceNode scope, AmlNamePath path, AmlFrame? frame)
    {
        if (path.IsSingleRelative)
        {
            uint segment = path.Segments[0];
            for (NamespaceNode? node = scope; node is not null; node = node.Parent)
            {
                NamespaceNode? found = FindChild(node, segment, frame);
                if (found is not null)
                {
                    return found;
                }
            }
            return null;
        }
        NamespaceNode? current = Start(scope, path);
        foreach (uint segment in path.Segments)
        {
            if (current is null)
            {
                return null;
            }
            current = FindChild(current, segment, frame);
        }
        return current;
    }

    /// <summary>The node that will hold a new object named by <paramref name="path"/> (its last segment), or null if that scope does not exist.</summary>
    public static NamespaceNode? ResolveParent(NamespaceNode scope, AmlNamePath path, AmlFrame? frame)
    {
        NamespaceNode? current = Start(scope, path);
        for (int i = 0; i < path.Segments.Length - 1 && current is not null; i++)
        {
            current = FindChild(current, path.Segments[i], frame);
        }
        return current;
    }

    private static NamespaceNode? Start(NamespaceNode scope, AmlNamePath path)
    {
        NamespaceNode? current = scope;
        if (path.IsRoot)
        {
            while (current!.Parent is not null)
            {
                current = current.Parent;
            }
            return current;
        }
        for (int i = 0; i < path.ParentPrefixes && current is not null; i++)
        {
            current = current.Parent;
        }
        return current;
    }

    private static NamespaceNode? FindChild(NamespaceNode node, uint segment, AmlFrame? frame)
    {
        if (frame is not null && frame.IsMethod && ReferenceEquals(node, frame.Scope))
        {
            NamespaceNode? local = frame.FindName(segment);
            if (local is not null)
            {
                return local;
            }
        }
        return node.FindChild(segment);
    }

    private void AddPredefined(string name, AcpiObject? value) =>
        TryAdd(Root, AmlNamePath.MakeSegment(name)!.Value, value);
}
