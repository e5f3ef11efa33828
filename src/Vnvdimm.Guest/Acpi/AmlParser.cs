using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using AmlOpcode = Vnvdimm.Formats.Aml.AmlOpcode;

namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// Decodes AML (ACPI 6.5 §20) into <see cref="AmlNode"/> trees. Table loads walk the term list
/// directly, creating Scope/Device/Method objects and running other module-level terms as they are
/// parsed; method bodies are parsed whole at their first call, when the namespace can tell a method
/// call (NameString + arguments) from a name. Every read is bounds-checked against the enclosing
/// package: malformed AML raises <see cref="AmlException"/> with the offset.
/// </summary>
internal sealed class AmlParser
{
    /// <summary>Deepest nesting of terms inside terms (expressions, blocks).</summary>
    private const int MaxNesting = 256;

    private readonly AmlInterpreter _interpreter;
    private readonly AmlTable _table;
    private readonly byte[] _data;
    private int _position;
    private int _end;
    private int _nesting;
    private NamespaceNode _scope;

    // Names the method body being parsed declares: at run time they live in the frame, not the namespace.
    private HashSet<uint>? _methodNames;

    public AmlParser(AmlInterpreter interpreter, AmlTable table)
    {
        _interpreter = interpreter;
        _table = table;
        _data = table.Data;
        _scope = interpreter.Namespace.Root;
    }

    public AmlNode[] ParseMethodBody(AcpiMethod method)
    {
        _scope = method.Node;
        _methodNames = [];
        _position = method.BodyStart;
        _end = method.BodyEnd;
        return ParseTermList(method.BodyEnd);
    }

    public void LoadDefinitionBlock(AmlFrame frame)
    {
        _position = AmlTable.HeaderSize;
        _end = _data.Length;
        LoadTermList(frame.Scope, _data.Length, frame);
    }

    private void LoadTermList(NamespaceNode scope, int end, AmlFrame frame)
    {
        NamespaceNode savedScope = _scope;
        int savedEnd = _end;
        _scope = scope;
        _end = end;
        EnterNesting();
        try
        {
            while (_position < end)
            {
                int start = _position;
                byte lead = _data[_position];
                if (lead == (byte)AmlOpcode.Scope)
                {
                    _position++;
                    int blockEnd = ReadPackageEnd();
                    AmlNamePath path = ReadNameString();
                    NamespaceNode target = AmlNamespace.Lookup(scope, path, null)
                        ?? throw Fail($"AE_NOT_FOUND: Scope ({path}) names nothing", start);
                    if (target.Object is not (null or AcpiDevice))
                    {
                        throw Fail($"AE_AML_OPERAND_TYPE: Scope ({path}) is {AmlConvert.Describe(target.Object)}", start);
                    }
                    LoadTermList(target, blockEnd, frame);
                    _position = blockEnd;
                }
                else if (lead == 0x5B && _position + 1 < end && _data[_position + 1] == 0x82)
                {
                    _position += 2;
                    int blockEnd = ReadPackageEnd();
                    AmlNamePath path = ReadNameString();
                    NamespaceNode device = AddToNamespace(scope, path, new AcpiDevice(), start);
                    LoadTermList(device, blockEnd, frame);
                    _position = blockEnd;
                }
                else if (lead == (byte)AmlOpcode.Method)
                {
                    _position++;
                    int blockEnd = ReadPackageEnd();
                    AmlNamePath path = ReadNameString();
                    byte flags = ReadByte();
                    NamespaceNode node = AddToNamespace(scope, path, null, start);
                    node.Object = new AcpiMethod(node, _table, _position, blockEnd, flags);
                    _position = blockEnd;
                }
                else if (lead == (byte)AmlOpcode.External)
                {
                    _position++;
                    AmlNamePath path = ReadNameString();
                    byte type = ReadByte();
                    byte argumentCount = ReadByte();
                    if (type == (byte)AcpiObjectType.Method)
                    {
                        _interpreter.RegisterExternalMethod(AbsoluteKey(scope, path), argumentCount & 0x07);
                    }
                }
                else
                {
                    AmlNode term = ParseTerm();
                    frame.Scope = scope;
                    term.Execute(frame);
                }
            }
        }
        finally
        {
            _nesting--;
            _scope = savedScope;
            _end = savedEnd;
        }
    }

    private NamespaceNode AddToNamespace(NamespaceNode scope, AmlNamePath path, AcpiObject? value, int offset)
    {
        if (path.Segments.Length == 0)
        {
            throw Fail("AE_BAD_PATHNAME: a named object cannot have a null name", offset);
        }
        NamespaceNode parent = AmlNamespace.ResolveParent(scope, path, null)
            ?? throw Fail($"AE_NOT_FOUND: the scope of {path} does not exist", offset);
        return _interpreter.Namespace.TryAdd(parent, path.LastSegment, value)
            ?? throw Fail($"AE_ALREADY_EXISTS: {path} is already defined", offset);
    }

    private AmlNode[] ParseTermList(int end)
    {
        int savedEnd = _end;
        _end = end;
        var terms = new List<AmlNode>();
        while (_position < end)
        {
            terms.Add(ParseTerm());
        }
        _end = savedEnd;
        return terms.ToArray();
    }

    private AmlNode ParseTerm()
    {
        EnterNesting();
        try
        {
            return ParseTermCore();
        }
        finally
        {
            _nesting--;
        }
    }

    private AmlNode ParseTermArg()
    {
        int start = _position;
        AmlNode term = ParseTerm();
        return term is AmlStatement
            ? throw Fail("AE_AML_OPERAND_TYPE: expected a value (TermArg) but found a statement", start)
            : term;
    }

    private AmlNode ParseTermCore()
    {
        int start = _position;
        byte lead = ReadByte();
        switch (lead)
        {
            case 0x00:
                return new ConstIntegerNode(start, 0);
            case 0x01:
                return new ConstIntegerNode(start, 1);
            case 0xFF:
                return new OnesNode(start);
            case 0x0A:
                return new ConstIntegerNode(start, ReadByte());
            case 0x0B:
                return new ConstIntegerNode(start, BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
            case 0x0C:
                return new ConstIntegerNode(start, BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)));
            case 0x0E:
                return new ConstIntegerNode(start, BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)));
            case 0x0D:
                return new StringNode(start, ReadAsciiString());
            case 0x11:
                return ParseBuffer(start);
            case 0x12:
                return ParsePackage(start, variable: false);
            case 0x13:
                return ParsePackage(start, variable: true);
            case 0x08:
            {
                AmlNamePath path = ReadNameString();
                AmlNode value = ParseTermArg();
                DeclareInMethod(path);
                return new NameDeclarationNode(start, path, value);
            }
            case >= 0x60 and <= 0x67:
                return new LocalNode(start, lead - 0x60);
            case >= 0x68 and <= 0x6E:
                return new ArgNode(start, lead - 0x68);
            case 0x70:
            case 0x9D:
            {
                AmlNode source = ParseTermArg();
                return new StoreNode(start, source, ParseSuperName(allowNull: false), copyObject: lead == 0x9D);
            }
            case 0x71:
                return new RefOfNode(start, ParseSuperName(allowNull: false));
            case 0x72 or 0x74 or 0x77 or 0x79 or 0x7A or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F or 0x85:
            {
                AmlNode left = ParseTermArg();
                AmlNode right = ParseTermArg();
                return new BinaryIntegerNode(start, (AmlOpcode)lead, left, right, ParseSuperName(allowNull: true));
            }
            case 0x73:
            {
                AmlNode left = ParseTermArg();
                AmlNode right = ParseTermArg();
                return new ConcatenateNode(start, left, right, ParseSuperName(allowNull: true));
            }
            case 0x75 or 0x76:
                return new IncrementNode(start, lead == 0x75, ParseSuperName(allowNull: false));
            case 0x78:
            {
                AmlNode dividend = ParseTermArg();
                AmlNode divisor = ParseTermArg();
                AmlSuperName remainder = ParseSuperName(allowNull: true);
                return new DivideNode(start, dividend, divisor, remainder, ParseSuperName(allowNull: true));
            }
            case 0x80 or 0x81 or 0x82:
            {
                AmlNode operand = ParseTermArg();
                return new UnaryIntegerNode(start, (AmlOpcode)lead, operand, ParseSuperName(allowNull: true));
            }
            case 0x83:
                return new DerefOfNode(start, ParseTermArg());
            case 0x86:
            {
                AmlSuperName target = ParseSuperName(allowNull: false);
                return new NotifyNode(start, target, ParseTermArg());
            }
            case 0x87:
                return new SizeOfNode(start, ParseSuperName(allowNull: false));
            case 0x88:
            {
                AmlNode source = ParseTermArg();
                AmlNode index = ParseTermArg();
                return new IndexNode(start, source, index, ParseSuperName(allowNull: true));
            }
            case 0x8A or 0x8B or 0x8C or 0x8D or 0x8F:
            {
                AmlNode source = ParseTermArg();
                AmlNode index = ParseTermArg();
                AmlNamePath path = ReadNameString();
                DeclareInMethod(path);
                int bits = lead switch { 0x8A => 32, 0x8B => 16, 0x8C => 8, 0x8D => 1, _ => 64 };
                return new CreateFieldNode(start, bits, source, index, null, path);
            }
            case 0x8E:
                return new ObjectTypeNode(start, ParseSuperName(allowNull: false));
            case 0x90 or 0x91:
            {
                AmlNode left = ParseTermArg();
                return new LogicalNode(start, (AmlOpcode)lead, left, ParseTermArg());
            }
            case 0x92:
                return new LogicalNode(start, AmlOpcode.LNot, ParseTermArg(), null);
            case 0x93 or 0x94 or 0x95:
            {
                AmlNode left = ParseTermArg();
                return new CompareNode(start, (AmlOpcode)lead, left, ParseTermArg());
            }
            case 0x96 or 0x99:
            {
                AmlNode operand = ParseTermArg();
                return new ConvertNode(start, (AmlOpcode)lead, operand, ParseSuperName(allowNull: true));
            }
            case 0x9F:
                return new JumpNode(start, AmlCompletion.Continue);
            case 0xA5:
                return new JumpNode(start, AmlCompletion.Break);
            case 0xA3 or 0xCC:
                return new NoopNode(start);
            case 0xA0:
                return ParseIf(start);
            case 0xA1:
                throw Fail("AE_AML_BAD_OPCODE: Else without a preceding If", start, 0xA1);
            case 0xA2:
                return ParseWhile(start);
            case 0xA4:
                return new ReturnNode(start, ParseTermArg());
            case 0x15:
            {
                ReadNameString();
                ReadBytes(2);
                return new NoopNode(start);
            }
            case 0x5B:
                return ParseExtended(start);
            case (byte)'\\' or (byte)'^' or 0x2E or 0x2F or (byte)'_' or >= (byte)'A' and <= (byte)'Z':
                _position = start;
                return ParseNameOrCall(start);
            case 0x10 or 0x14:
                throw NotHere(lead, start);
            default:
                throw Unsupported(lead, start);
        }
    }

    private AmlNode ParseExtended(int start)
    {
        byte second = ReadByte();
        int opcode = 0x5B00 | second;
        switch (second)
        {
            case 0x80:
            {
                AmlNamePath path = ReadNameString();
                byte space = ReadByte();
                AmlNode address = ParseTermArg();
                AmlNode length = ParseTermArg();
                DeclareInMethod(path);
                return new RegionDeclarationNode(start, path, space, address, length);
            }
            case 0x81:
                return ParseField(start);
            case 0x13:
            {
                AmlNode source = ParseTermArg();
                AmlNode index = ParseTermArg();
                AmlNode bits = ParseTermArg();
                AmlNamePath path = ReadNameString();
                DeclareInMethod(path);
                return new CreateFieldNode(start, 0, source, index, bits, path);
            }
            case 0x12:
            {
                AmlSuperName operand = ParseSuperName(allowNull: false);
                return new CondRefOfNode(start, operand, ParseSuperName(allowNull: true));
            }
            case 0x21 or 0x22:
                return new WaitNode(start, ParseTermArg(), sleep: second == 0x22);
            case 0x30:
                return new ConstIntegerNode(start, AmlInterpreter.InterpreterRevision);
            case 0x31:
                return new DebugNode(start);
            case 0x33:
                return new TimerNode(start);
            case 0x82 or 0x83 or 0x84 or 0x85:
                throw NotHere(opcode, start);
            default:
                throw Unsupported(opcode, start);
        }
    }

    /// <summary>Target / SuperName: NullName, LocalX, ArgX, Debug, a NameString, or Index/RefOf/DerefOf.</summary>
    private AmlSuperName ParseSuperName(bool allowNull)
    {
        int start = _position;
        byte lead = PeekByte();
        switch (lead)
        {
            case 0x00 when allowNull:
                _position++;
                return new NullTargetNode(start);
            case >= 0x60 and <= 0x67:
                _position++;
                return new LocalNode(start, lead - 0x60);
            case >= 0x68 and <= 0x6E:
                _position++;
                return new ArgNode(start, lead - 0x68);
            case 0x5B when _position + 1 < _end && _data[_position + 1] == 0x31:
                _position += 2;
                return new DebugNode(start);
            case 0x71 or 0x83 or 0x88:
                return new ReferenceTargetNode(start, ParseTerm());
            default:
                if (IsNameStart(lead))
                {
                    return new NameNode(start, ReadNameString());
                }
                throw Fail($"AE_AML_BAD_OPCODE: 0x{lead:X2} cannot start a {(allowNull ? "Target" : "SuperName")}", start, lead);
        }
    }

    /// <summary>A NameString in a TermArg position: a call if it names a method (known now or declared External), else a name.</summary>
    private AmlNode ParseNameOrCall(int start)
    {
        AmlNamePath path = ReadNameString();
        if (path.Segments.Length == 0)
        {
            throw Fail("AE_AML_BAD_NAME: a null name is not a value", start);
        }
        var name = new NameNode(start, path);
        int? argumentCount = MethodArgumentCount(path);
        if (argumentCount is null)
        {
            return name;
        }
        var arguments = new AmlNode[argumentCount.Value];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = ParseTermArg();
        }
        return new CallNode(start, name, arguments);
    }

    private int? MethodArgumentCount(AmlNamePath path)
    {
        if (_methodNames is not null && path.IsSingleRelative && _methodNames.Contains(path.Segments[0]))
        {
            return null;
        }
        NamespaceNode? node = AmlNamespace.Lookup(_scope, path, null);
        if (node is not null)
        {
            return node.Object is AcpiMethod method ? method.ArgumentCount : null;
        }
        if (!path.IsSingleRelative)
        {
            return _interpreter.FindExternalMethod(AbsoluteKey(_scope, path));
        }
        for (NamespaceNode? scope = _scope; scope is not null; scope = scope.Parent)
        {
            int? count = _interpreter.FindExternalMethod(AbsoluteKey(scope, path));
            if (count is not null)
            {
                return count;
            }
        }
        return null;
    }

    private AmlNode ParseIf(int start)
    {
        int blockEnd = ReadPackageEnd();
        int savedEnd = _end;
        _end = blockEnd;
        AmlNode predicate = ParseTermArg();
        AmlNode[] body = ParseTermList(blockEnd);
        _end = savedEnd;
        _position = blockEnd;
        AmlNode[]? elseBody = null;
        if (_position < _end && _data[_position] == 0xA1)
        {
            _position++;
            int elseEnd = ReadPackageEnd();
            elseBody = ParseTermList(elseEnd);
            _position = elseEnd;
        }
        return new IfNode(start, predicate, body, elseBody);
    }

    private AmlNode ParseWhile(int start)
    {
        int blockEnd = ReadPackageEnd();
        int savedEnd = _end;
        _end = blockEnd;
        AmlNode predicate = ParseTermArg();
        AmlNode[] body = ParseTermList(blockEnd);
        _end = savedEnd;
        _position = blockEnd;
        return new WhileNode(start, predicate, body);
    }

    private AmlNode ParseBuffer(int start)
    {
        int blockEnd = ReadPackageEnd();
        int savedEnd = _end;
        _end = blockEnd;
        AmlNode size = ParseTermArg();
        byte[] initializer = _data.AsSpan(_position, blockEnd - _position).ToArray();
        _end = savedEnd;
        _position = blockEnd;
        return new BufferNode(start, size, initializer);
    }

    private AmlNode ParsePackage(int start, bool variable)
    {
        int blockEnd = ReadPackageEnd();
        int savedEnd = _end;
        _end = blockEnd;
        AmlNode? count = variable ? ParseTermArg() : null;
        int fixedCount = variable ? 0 : ReadByte();
        var elements = new List<AmlPackageElement>();
        while (_position < blockEnd)
        {
            int at = _position;
            elements.Add(IsNameStart(_data[_position])
                ? new AmlPackageElement(at, null, ReadNameString())
                : new AmlPackageElement(at, ParseTermArg(), null));
        }
        _end = savedEnd;
        _position = blockEnd;
        return new PackageNode(start, count, fixedCount, elements.ToArray());
    }

    private AmlNode ParseField(int start)
    {
        int blockEnd = ReadPackageEnd();
        int savedEnd = _end;
        _end = blockEnd;
        int regionStart = _position;
        var region = new NameNode(regionStart, ReadNameString());
        byte flags = ReadByte();
        int accessType = flags & 0x0F;
        int updateRule = (flags >> 5) & 0x03;
        if (updateRule == 3)
        {
            throw Fail($"AE_AML_OPERAND_VALUE: field flags 0x{flags:X2} give an invalid update rule", start);
        }
        long bitOffset = 0;
        var entries = new List<AmlFieldEntry>();
        while (_position < blockEnd)
        {
            int at = _position;
            byte lead = ReadByte();
            switch (lead)
            {
                case 0x00:
                    bitOffset += ReadFieldLength();
                    break;
                case 0x01:
                    accessType = ReadByte() & 0x0F;
                    ReadByte();
                    break;
                case 0x02:
                    throw Fail("AE_SUPPORT: ConnectField (0x02) in a FieldList is not supported", at, 0x02);
                case 0x03:
                    throw Fail("AE_SUPPORT: ExtendedAccessField (0x03) in a FieldList is not supported", at, 0x03);
                default:
                {
                    _position = at;
                    uint segment = ReadNameSegment();
                    int bits = ReadFieldLength();
                    if (accessType > 5)
                    {
                        throw Fail($"AE_AML_OPERAND_VALUE: access type {accessType} is not defined", at);
                    }
                    var name = new AmlNamePath(false, 0, [segment]);
                    DeclareInMethod(name);
                    entries.Add(new AmlFieldEntry(at, name, bitOffset, bits, accessType));
                    bitOffset += bits;
                    break;
                }
            }
        }
        _end = savedEnd;
        _position = blockEnd;
        return new FieldDeclarationNode(start, region, updateRule, entries.ToArray());
    }

    private void DeclareInMethod(AmlNamePath path)
    {
        if (_methodNames is not null && path.IsSingleRelative)
        {
            _methodNames.Add(path.Segments[0]);
        }
    }

    // ---- Primitive readers: every one checks against the enclosing package's end. ----

    private byte PeekByte()
    {
        if (_position >= _end)
        {
            throw Truncated();
        }
        return _data[_position];
    }

    private byte ReadByte()
    {
        if (_position >= _end)
        {
            throw Truncated();
        }
        return _data[_position++];
    }

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count > _end - _position)
        {
            throw Truncated();
        }
        ReadOnlySpan<byte> bytes = _data.AsSpan(_position, count);
        _position += count;
        return bytes;
    }

    /// <summary>Reads a PkgLength (ACPI 6.5 §20.2.4) that counts itself and returns where the package ends.</summary>
    private int ReadPackageEnd()
    {
        int start = _position;
        int length = ReadPackageLengthValue();
        if (length < _position - start || length > _end - start)
        {
            throw Fail($"AE_AML_BAD_ENCODING: PkgLength 0x{length:X} runs past the end of its enclosing object", start);
        }
        return start + length;
    }

    /// <summary>A FieldList element length: PkgLength encoding, not counting itself.</summary>
    private int ReadFieldLength() => ReadPackageLengthValue();

    private int ReadPackageLengthValue()
    {
        int start = _position;
        byte lead = ReadByte();
        int extra = lead >> 6;
        if (extra == 0)
        {
            return lead & 0x3F;
        }
        if ((lead & 0x30) != 0)
        {
            throw Fail($"AE_AML_BAD_ENCODING: PkgLength lead byte 0x{lead:X2} has bits 4-5 set", start);
        }
        if (extra > _end - _position)
        {
            throw Fail($"AE_AML_BAD_ENCODING: truncated PkgLength ({extra + 1} bytes announced, {_end - start} left)", start);
        }
        int value = lead & 0x0F;
        for (int i = 0; i < extra; i++)
        {
            value |= _data[_position++] << (4 + (8 * i));
        }
        return value;
    }

    private AmlNamePath ReadNameString()
    {
        int start = _position;
        bool isRoot = false;
        int prefixes = 0;
        byte lead = ReadByte();
        if (lead == (byte)'\\')
        {
            isRoot = true;
            lead = ReadByte();
        }
        else
        {
            while (lead == (byte)'^')
            {
                prefixes++;
                lead = ReadByte();
            }
        }
        uint[] segments;
        switch (lead)
        {
            case 0x00:
                segments = [];
                break;
            case 0x2E:
                segments = [ReadNameSegment(), ReadNameSegment()];
                break;
            case 0x2F:
            {
                int count = ReadByte();
                if (count == 0)
                {
                    throw Fail("AE_AML_BAD_NAME: MultiNamePath with no segments", start);
                }
                segments = new uint[count];
                for (int i = 0; i < count; i++)
                {
                    segments[i] = ReadNameSegment();
                }
                break;
            }
            default:
                _position--;
                segments = [ReadNameSegment()];
                break;
        }
        return new AmlNamePath(isRoot, prefixes, segments);
    }

    private uint ReadNameSegment()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytes(4);
        for (int i = 0; i < 4; i++)
        {
            if (!AmlNamePath.IsNameChar(bytes[i], lead: i == 0))
            {
                throw Fail($"AE_AML_BAD_NAME: invalid NameSeg {Convert.ToHexString(bytes)}", start);
            }
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    private string ReadAsciiString()
    {
        int start = _position;
        int terminator = Array.IndexOf(_data, (byte)0, _position, _end - _position);
        if (terminator < 0)
        {
            throw Fail("AE_AML_BAD_ENCODING: String without a NUL terminator", start);
        }
        _position = terminator + 1;
        return AmlConvert.ToAscii(_data.AsSpan(start, terminator - start));
    }

    private static bool IsNameStart(byte b) =>
        b is (byte)'\\' or (byte)'^' or 0x2E or 0x2F || AmlNamePath.IsNameChar(b, lead: true);

    private void EnterNesting()
    {
        if (++_nesting > MaxNesting || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            _nesting--;
            throw Fail($"AE_AML_NESTING: terms nested more than {MaxNesting} deep", _position);
        }
    }

    // External names are remembered by absolute path: scope segments plus the name's own.
    private static string AbsoluteKey(NamespaceNode scope, AmlNamePath path)
    {
        NamespaceNode? start = scope;
        if (path.IsRoot)
        {
            start = null;
        }
        else
        {
            for (int i = 0; i < path.ParentPrefixes && start is not null; i++)
            {
                start = start.Parent;
            }
        }
        string prefix = start is null || start.Parent is null ? "\\" : start.Path + ".";
        return prefix + string.Join('.', path.Segments.Select(AmlNamePath.SegmentToDisplay));
    }

    private AmlException Truncated() =>
        new("AE_AML_BAD_ENCODING: AML ends in the middle of a term (truncated object)", _table, _position);

    private AmlException Fail(string message, int offset, int? opcode = null) => new(message, _table, offset, opcode);

    private AmlException Unsupported(int opcode, int offset)
    {
        string hex = opcode > 0xFF ? $"0x{opcode:X4}" : $"0x{opcode:X2}";
        string name = Enum.IsDefined((AmlOpcode)opcode) ? $" ({(AmlOpcode)opcode})" : "";
        return Fail($"AE_AML_BAD_OPCODE: unsupported AML opcode {hex}{name}", offset, opcode);
    }

    private AmlException NotHere(int opcode, int offset)
    {
        string hex = opcode > 0xFF ? $"0x{opcode:X4}" : $"0x{opcode:X2}";
        string name = Enum.IsDefined((AmlOpcode)opcode) ? $" ({(AmlOpcode)opcode})" : "";
        return Fail($"AE_AML_BAD_OPCODE: AML opcode {hex}{name} is supported only directly in a table's term lists, not inside methods or control blocks", offset, opcode);
    }
}
