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
                else if (lead == (byte)AmlOpcode.ExtendedPrefix && _position + 1 < end && (0x5B00 | _data[_position + 1]) == (int)AmlOpcode.Device)
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
        var opcode = (AmlOpcode)ReadByte();
        switch (opcode)
        {
            case AmlOpcode.Zero:
                return new ConstIntegerNode(start, 0);
            case AmlOpcode.One:
                return new ConstIntegerNode(start, 1);
            case AmlOpcode.Ones:
                return new OnesNode(start);
            case AmlOpcode.BytePrefix:
                return new ConstIntegerNode(start, ReadByte());
            case AmlOpcode.WordPrefix:
                return new ConstIntegerNode(start, BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
            case AmlOpcode.DWordPrefix:
                return new ConstIntegerNode(start, BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)));
            case AmlOpcode.QWordPrefix:
                return new ConstIntegerNode(start, BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)));
            case AmlOpcode.StringPrefix:
                return new StringNode(start, ReadAsciiString());
            case AmlOpcode.Buffer:
                return ParseBuffer(start);
            case AmlOpcode.Package:
                return ParsePackage(start, variable: false);
            case AmlOpcode.VarPackage:
                return ParsePackage(start, variable: true);
            case AmlOpcode.Name:
            {
                AmlNamePath path = ReadNameString();
                AmlNode value = ParseTermArg();
                DeclareInMethod(path);
                return new NameDeclarationNode(start, path, value);
            }
            case >= AmlOpcode.Local0 and <= AmlOpcode.Local7:
                return new LocalNode(start, opcode - AmlOpcode.Local0);
            case >= AmlOpcode.Arg0 and <= AmlOpcode.Arg6:
                return new ArgNode(start, opcode - AmlOpcode.Arg0);
            case AmlOpcode.Store or AmlOpcode.CopyObject:
            {
                AmlNode source = ParseTermArg();
                return new StoreNode(start, source, ParseSuperName(allowNull: false), copyObject: opcode == AmlOpcode.CopyObject);
            }
            case AmlOpcode.RefOf:
                return new RefOfNode(start, ParseSuperName(allowNull: false));
            case AmlOpcode.Add or AmlOpcode.Subtract or AmlOpcode.Multiply or AmlOpcode.ShiftLeft or AmlOpcode.ShiftRight
                or AmlOpcode.And or AmlOpcode.Nand or AmlOpcode.Or or AmlOpcode.Nor or AmlOpcode.Xor or AmlOpcode.Mod:
            {
                AmlNode left = ParseTermArg();
                AmlNode right = ParseTermArg();
                return new BinaryIntegerNode(start, opcode, left, right, ParseSuperName(allowNull: true));
            }
            case AmlOpcode.Concatenate:
            {
                AmlNode left = ParseTermArg();
                AmlNode right = ParseTermArg();
                return new ConcatenateNode(start, left, right, ParseSuperName(allowNull: true));
            }
            case AmlOpcode.Increment or AmlOpcode.Decrement:
                return new IncrementNode(start, opcode == AmlOpcode.Increment, ParseSuperName(allowNull: false));
            case AmlOpcode.Divide:
            {
                AmlNode dividend = ParseTermArg();
                AmlNode divisor = ParseTermArg();
                AmlSuperName remainder = ParseSuperName(allowNull: true);
                return new DivideNode(start, dividend, divisor, remainder, ParseSuperName(allowNull: true));
            }
            case AmlOpcode.Not or AmlOpcode.FindSetLeftBit or AmlOpcode.FindSetRightBit:
            {
                AmlNode operand = ParseTermArg();
                return new UnaryIntegerNode(start, opcode, operand, ParseSuperName(allowNull: true));
            }
            case AmlOpcode.DerefOf:
                return new DerefOfNode(start, ParseTermArg());
            case AmlOpcode.Notify:
            {
                AmlSuperName target = ParseSuperName(allowNull: false);
                return new NotifyNode(start, target, ParseTermArg());
            }
            case AmlOpcode.SizeOf:
                return new SizeOfNode(start, ParseSuperName(allowNull: false));
            case AmlOpcode.Index:
            {
                AmlNode source = ParseTermArg();
                AmlNode index = ParseTermArg();
                return new IndexNode(start, source, index, ParseSuperName(allowNull: true));
            }
            case AmlOpcode.CreateDWordField or AmlOpcode.CreateWordField or AmlOpcode.CreateByteField or AmlOpcode.CreateBitField or AmlOpcode.CreateQWordField:
            {
                AmlNode source = ParseTermArg();
                AmlNode index = ParseTermArg();
                AmlNamePath path = ReadNameString();
                DeclareInMethod(path);
                int bits = opcode switch
                {
                    AmlOpcode.CreateDWordField => 32,
                    AmlOpcode.CreateWordField => 16,
                    AmlOpcode.CreateByteField => 8,
                    AmlOpcode.CreateBitField => 1,
                    _ => 64,
                };
                return new CreateFieldNode(start, bits, source, index, null, path);
            }
            case AmlOpcode.ObjectType:
                return new ObjectTypeNode(start, ParseSuperName(allowNull: false));
            case AmlOpcode.LAnd or AmlOpcode.LOr:
            {
                AmlNode left = ParseTermArg();
                return new LogicalNode(start, opcode, left, ParseTermArg());
            }
            case AmlOpcode.LNot:
                return new LogicalNode(start, AmlOpcode.LNot, ParseTermArg(), null);
            case AmlOpcode.LEqual or AmlOpcode.LGreater or AmlOpcode.LLess:
            {
                AmlNode left = ParseTermArg();
                return new CompareNode(start, opcode, left, ParseTermArg());
            }
            case AmlOpcode.ToBuffer or AmlOpcode.ToInteger:
            {
                AmlNode operand = ParseTermArg();
                return new ConvertNode(start, opcode, operand, ParseSuperName(allowNull: true));
            }
            case AmlOpcode.Continue:
                return new JumpNode(start, AmlCompletion.Continue);
            case AmlOpcode.Break:
                return new JumpNode(start, AmlCompletion.Break);
            case AmlOpcode.Noop or AmlOpcode.BreakPoint:
                return new NoopNode(start);
            case AmlOpcode.If:
                return ParseIf(start);
            case AmlOpcode.Else:
                throw Fail("AE_AML_BAD_OPCODE: Else without a preceding If", start, (int)AmlOpcode.Else);
            case AmlOpcode.While:
                return ParseWhile(start);
            case AmlOpcode.Return:
                return new ReturnNode(start, ParseTermArg());
            case AmlOpcode.External:
            {
                ReadNameString();
                ReadBytes(2);
                return new NoopNode(start);
            }
            case AmlOpcode.ExtendedPrefix:
                return ParseExtended(start);
            case AmlOpcode.RootChar or AmlOpcode.ParentPrefixChar or AmlOpcode.DualNamePrefix or AmlOpcode.MultiNamePrefix
                or (AmlOpcode)'_' or >= (AmlOpcode)'A' and <= (AmlOpcode)'Z':
                _position = start;
                return ParseNameOrCall(start);
            case AmlOpcode.Scope or AmlOpcode.Method:
                throw NotHere((int)opcode, start);
            default:
                throw Unsupported((int)opcode, start);
        }
    }

    private AmlNode ParseExtended(int start)
    {
        var opcode = (AmlOpcode)(0x5B00 | ReadByte());
        switch (opcode)
        {
            case AmlOpcode.OperationRegion:
            {
                AmlNamePath path = ReadNameString();
                byte space = ReadByte();
                AmlNode address = ParseTermArg();
                AmlNode length = ParseTermArg();
                DeclareInMethod(path);
                return new RegionDeclarationNode(start, path, space, address, length);
            }
            case AmlOpcode.Field:
                return ParseField(start);
            case AmlOpcode.CreateField:
            {
                AmlNode source = ParseTermArg();
                AmlNode index = ParseTermArg();
                AmlNode bits = ParseTermArg();
                AmlNamePath path = ReadNameString();
                DeclareInMethod(path);
                return new CreateFieldNode(start, 0, source, index, bits, path);
            }
            case AmlOpcode.CondRefOf:
            {
                AmlSuperName operand = ParseSuperName(allowNull: false);
                return new CondRefOfNode(start, operand, ParseSuperName(allowNull: true));
            }
            case AmlOpcode.Stall or AmlOpcode.Sleep:
                return new WaitNode(start, ParseTermArg(), sleep: opcode == AmlOpcode.Sleep);
            case AmlOpcode.Revision:
                return new ConstIntegerNode(start, AmlInterpreter.InterpreterRevision);
            case AmlOpcode.Debug:
                return new DebugNode(start);
            case AmlOpcode.Timer:
                return new TimerNode(start);
            case AmlOpcode.Device or AmlOpcode.Processor or AmlOpcode.PowerResource or AmlOpcode.ThermalZone:
                throw NotHere((int)opcode, start);
            default:
                throw Unsupported((int)opcode, start);
        }
    }

    /// <summary>Target / SuperName: NullName, LocalX, ArgX, Debug, a NameString, or Index/RefOf/DerefOf.</summary>
    private AmlSuperName ParseSuperName(bool allowNull)
    {
        int start = _position;
        byte lead = PeekByte();
        switch ((AmlOpcode)lead)
        {
            case AmlOpcode.Zero when allowNull:
                _position++;
                return new NullTargetNode(start);
            case >= AmlOpcode.Local0 and <= AmlOpcode.Local7:
                _position++;
                return new LocalNode(start, lead - (int)AmlOpcode.Local0);
            case >= AmlOpcode.Arg0 and <= AmlOpcode.Arg6:
                _position++;
                return new ArgNode(start, lead - (int)AmlOpcode.Arg0);
            case AmlOpcode.ExtendedPrefix when _position + 1 < _end && (0x5B00 | _data[_position + 1]) == (int)AmlOpcode.Debug:
                _position += 2;
                return new DebugNode(start);
            case AmlOpcode.RefOf or AmlOpcode.DerefOf or AmlOpcode.Index:
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
        (AmlNode predicate, AmlNode[] body) = ParsePredicateBlock();
        AmlNode[]? elseBody = null;
        if (_position < _end && _data[_position] == (byte)AmlOpcode.Else)
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
        (AmlNode predicate, AmlNode[] body) = ParsePredicateBlock();
        return new WhileNode(start, predicate, body);
    }

    // If and While: PkgLength, a predicate TermArg, then a TermList up to the package end.
    private (AmlNode Predicate, AmlNode[] Body) ParsePredicateBlock()
    {
        int blockEnd = ReadPackageEnd();
        int savedEnd = _end;
        _end = blockEnd;
        AmlNode predicate = ParseTermArg();
        AmlNode[] body = ParseTermList(blockEnd);
        _end = savedEnd;
        _position = blockEnd;
        return (predicate, body);
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
            case (byte)AmlOpcode.DualNamePrefix:
                segments = [ReadNameSegment(), ReadNameSegment()];
                break;
            case (byte)AmlOpcode.MultiNamePrefix:
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
        (AmlOpcode)b is AmlOpcode.RootChar or AmlOpcode.ParentPrefixChar or AmlOpcode.DualNamePrefix or AmlOpcode.MultiNamePrefix
        || AmlNamePath.IsNameChar(b, lead: true);

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
