namespace Vnvdimm.Guest.Acpi;

/// <summary>A Device (also \_SB and \_TZ): a scope that can receive notifications.</summary>
internal sealed class AcpiDevice : AcpiObject
{
    public override AcpiObjectType Type => AcpiObjectType.Device;
}

/// <summary>A control method: where its body lies in its table, and the body parsed once into a tree.</summary>
internal sealed class AcpiMethod : AcpiObject
{
    private volatile ParsedBody? _body;

    public AcpiMethod(NamespaceNode node, AmlTable table, int bodyStart, int bodyEnd, byte flags)
    {
        Node = node;
        Table = table;
        BodyStart = bodyStart;
        BodyEnd = bodyEnd;
        ArgumentCount = flags & 0x07;
        IsSerialized = (flags & 0x08) != 0;
        SyncLevel = flags >> 4;
    }

    public NamespaceNode Node { get; }

    public AmlTable Table { get; }

    public int BodyStart { get; }

    public int BodyEnd { get; }

    public int ArgumentCount { get; }

    public bool IsSerialized { get; }

    public int SyncLevel { get; }

    /// <summary>The method's mutex (ACPICA creates one per Serialized method); re-entrant for recursion.</summary>
    public Lock SyncRoot { get; } = new();

    public override AcpiObjectType Type => AcpiObjectType.Method;

    /// <summary>
    /// The body as a tree. Parsing needs the namespace (a name followed by arguments is a call only if
    /// it names a method), so it happens at the first call and again only if tables were loaded since.
    /// </summary>
    public AmlNode[] GetBody(AmlInterpreter interpreter)
    {
        ParsedBody? body = _body;
        int generation = interpreter.Namespace.Generation;
        if (body is null || body.Generation != generation)
        {
            body = new ParsedBody(new AmlParser(interpreter, Table).ParseMethodBody(this), generation);
            _body = body;
        }
        return body.Nodes;
    }

    private sealed record ParsedBody(AmlNode[] Nodes, int Generation);
}

/// <summary>An OperationRegion: address space, base address and length, fixed when it was declared.</summary>
internal sealed class AcpiOperationRegion(byte space, ulong address, ulong length) : AcpiObject
{
    public const byte SystemMemory = 0;
    public const byte SystemIO = 1;

    public byte Space { get; } = space;

    public ulong Address { get; } = address;

    public ulong Length { get; } = length;

    public override AcpiObjectType Type => AcpiObjectType.OperationRegion;

    public static string SpaceName(byte space) => space switch
    {
        0 => "SystemMemory",
        1 => "SystemIO",
        2 => "PCI_Config",
        3 => "EmbeddedControl",
        4 => "SMBus",
        5 => "SystemCMOS",
        6 => "PciBarTarget",
        7 => "IPMI",
        8 => "GeneralPurposeIO",
        9 => "GenericSerialBus",
        10 => "PCC",
        _ => $"space 0x{space:X2}",
    };
}

/// <summary>A named field of an OperationRegion (Field): bit position and length, access width and update rule.</summary>
internal sealed class AcpiFieldUnit(AcpiOperationRegion region, long bitOffset, int bitLength, int accessWidth, int updateRule) : AcpiObject
{
    public const int Preserve = 0;
    public const int WriteAsOnes = 1;
    public const int WriteAsZeros = 2;

    public AcpiOperationRegion Region { get; } = region;

    /// <summary>Bit offset from the start of the region.</summary>
    public long BitOffset { get; } = bitOffset;

    public int BitLength { get; } = bitLength;

    /// <summary>Access width in bytes: 1, 2, 4 or 8.</summary>
    public int AccessWidth { get; } = accessWidth;

    public int UpdateRule { get; } = updateRule;

    public override AcpiObjectType Type => AcpiObjectType.FieldUnit;
}

/// <summary>A buffer field (CreateField, CreateXxxField): a window onto a buffer object, which it aliases.</summary>
internal sealed class AcpiBufferField(AcpiBuffer buffer, long bitOffset, int bitLength, bool isCreateField) : AcpiObject
{
    public AcpiBuffer Buffer { get; } = buffer;

    public long BitOffset { get; } = bitOffset;

    public int BitLength { get; } = bitLength;

    /// <summary>Made by CreateField: ACPICA (since 2020) always reads these as Buffers, whatever their size, to match other interpreters.</summary>
    public bool IsCreateField { get; } = isCreateField;

    public override AcpiObjectType Type => AcpiObjectType.BufferField;
}
