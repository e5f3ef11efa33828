namespace Vnvdimm.Guest.Acpi;

/// <summary>RefOf(name), or a package element that names a device, method or other non-data object.</summary>
internal sealed class AcpiNameReference(NamespaceNode node) : AcpiReference
{
    public NamespaceNode Node { get; } = node;

    public override string? TargetPath => Node.Path;

    internal override AcpiObject Dereference(AmlFrame frame, int offset) => frame.Interpreter.ReadNode(Node, frame, offset);

    internal override AcpiObject? Target(AmlFrame frame) => Node.Object;

    internal override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, int offset) =>
        AmlStore.ToNode(frame, Node, value, valueIsShared, copyObject: false, offset);
}

/// <summary>Index(buffer|string|package, i): one element of the container object it aliases.</summary>
internal sealed class AcpiIndexReference(AcpiObject container, int index) : AcpiReference
{
    public AcpiObject Container { get; } = container;

    public int Index { get; } = index;

    internal override AcpiObject Dereference(AmlFrame frame, int offset) => Container switch
    {
        AcpiBuffer buffer => AcpiInteger.From(buffer.Data[CheckIndex(buffer.Data.Length, frame, offset)]),
        AcpiString text => AcpiInteger.From(text.Value[CheckIndex(text.Value.Length, frame, offset)]),
        AcpiPackage package => package.Items[CheckIndex(package.Items.Length, frame, offset)],
        _ => throw new AmlException("AE_AML_OPERAND_TYPE: Index reference into a non-container", frame.Table, offset),
    };

    internal override AcpiObject? Target(AmlFrame frame) => Container switch
    {
        AcpiPackage package when Index < package.Items.Length => package.Items[Index],
        _ => Dereference(frame, 0),
    };

    internal override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, int offset)
    {
        switch (Container)
        {
            case AcpiBuffer buffer:
                // ACPICA stores the low byte of an integer, or the first byte of a buffer or string.
                byte b = value switch
                {
                    AcpiBuffer source => source.Data.Length > 0 ? source.Data[0] : (byte)0,
                    AcpiString text => text.Value.Length > 0 ? (byte)text.Value[0] : (byte)0,
                    _ => (byte)AmlConvert.ToInteger(value, frame, offset),
                };
                buffer.Data[CheckIndex(buffer.Data.Length, frame, offset)] = b;
                break;
            case AcpiPackage package:
                package.Items[CheckIndex(package.Items.Length, frame, offset)] = valueIsShared ? AmlStore.Copy(value) : value;
                break;
            default:
                throw new AmlException("AE_AML_OPERAND_TYPE: cannot store through an Index into a String", frame.Table, offset);
        }
    }

    private int CheckIndex(int length, AmlFrame frame, int offset) =>
        Index < length ? Index : throw new AmlException($"AE_AML_BUFFER_LIMIT: index {Index} is beyond the {length} elements of the object", frame.Table, offset);
}

/// <summary>RefOf(LocalX) or RefOf(ArgX).</summary>
internal sealed class AcpiLocalReference(AmlFrame owner, int slot, bool isArgument) : AcpiReference
{
    internal override AcpiObject Dereference(AmlFrame frame, int offset) =>
        Slots[slot] ?? throw new AmlException($"AE_AML_UNINITIALIZED_{(isArgument ? "ARG" : "LOCAL")}: {(isArgument ? "Arg" : "Local")}{slot} has no value", frame.Table, offset);

    internal override AcpiObject? Target(AmlFrame frame) => Slots[slot];

    internal override void Store(AmlFrame frame, AcpiObject value, bool valueIsShared, int offset) =>
        Slots[slot] = valueIsShared ? AmlStore.Copy(value) : value;

    private AcpiObject?[] Slots => isArgument ? owner.Args : owner.Locals;
}
