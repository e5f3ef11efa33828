using System.Diagnostics;
using System.Globalization;

namespace Vnvdimm.Guest.Acpi;

internal sealed class IfNode(int offset, AmlNode predicate, AmlNode[] body, AmlNode[]? elseBody) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        if (Integer(predicate, frame) != 0)
        {
            return ExecuteBlock(body, frame);
        }
        return elseBody is null ? AmlCompletion.Normal : ExecuteBlock(elseBody, frame);
    }
}

/// <summary>
/// While: bounded like ACPICA since 20170929, by time rather than iterations: a loop still running
/// after the loop timeout (30 s) is aborted with AE_AML_LOOP_TIMEOUT.
/// </summary>
internal sealed class WhileNode(int offset, AmlNode predicate, AmlNode[] body) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        long start = Stopwatch.GetTimestamp();
        long limit = frame.Interpreter.LoopTimeoutTicks;
        while (Integer(predicate, frame) != 0)
        {
            AmlCompletion completion = ExecuteBlock(body, frame);
            if (completion == AmlCompletion.Break)
            {
                break;
            }
            if (completion == AmlCompletion.Return)
            {
                return completion;
            }
            if (Stopwatch.GetTimestamp() - start > limit)
            {
                throw Error(frame, $"AE_AML_LOOP_TIMEOUT: While loop ran for more than {frame.Interpreter.Options.LoopTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            }
        }
        return AmlCompletion.Normal;
    }
}

internal sealed class ReturnNode(int offset, AmlNode value) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        AcpiObject result = value.Evaluate(frame, out bool shared);
        // A local dies with the frame, so its object passes to the caller as it is.
        frame.ReturnValue = shared && value is not LocalNode ? AmlStore.Copy(result) : result;
        return AmlCompletion.Return;
    }
}

internal sealed class JumpNode(int offset, AmlCompletion completion) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame) => completion;
}

/// <summary>Noop, BreakPoint, External (nothing to do at run time).</summary>
internal sealed class NoopNode(int offset) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame) => AmlCompletion.Normal;
}

/// <summary>Sleep (ms), capped at 2 s like ACPICA's ACPI_MAX_SLEEP; Stall (µs), at most 255.</summary>
internal sealed class WaitNode(int offset, AmlNode duration, bool sleep) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        ulong amount = Integer(duration, frame);
        if (sleep)
        {
            Thread.Sleep((int)Math.Min(amount, 2000));
            return AmlCompletion.Normal;
        }
        if (amount > 255)
        {
            throw Error(frame, $"AE_AML_OPERAND_VALUE: Stall of {amount} µs is longer than 255");
        }
        long end = Stopwatch.GetTimestamp() + (long)(amount * (ulong)Stopwatch.Frequency / 1_000_000);
        while (Stopwatch.GetTimestamp() < end)
        {
            Thread.SpinWait(10);
        }
        return AmlCompletion.Normal;
    }
}

/// <summary>Notify (Object, Value): queued for the notify handler; the object must be a device.</summary>
internal sealed class NotifyNode(int offset, AmlSuperName target, AmlNode value) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        NamespaceNode node = target switch
        {
            NameNode name => name.FindOrThrow(frame),
            // A local or argument holding RefOf(device).
            _ => (target.Resolve(frame) as AcpiNameReference ?? throw Error(frame, "AE_AML_OPERAND_TYPE: Notify needs a device")).Node,
        };
        if (node.Object is not AcpiDevice)
        {
            throw Error(frame, $"AE_AML_OPERAND_TYPE: Notify target {node.Path} is {AmlConvert.Describe(node.Object)}, not a Device");
        }
        frame.Context.QueueNotify(node.Path, (uint)Integer(value, frame));
        return AmlCompletion.Normal;
    }
}

/// <summary>Name (NameString, DataRefObject).</summary>
internal sealed class NameDeclarationNode(int offset, AmlNamePath path, AmlNode value) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        AcpiObject data = value.Evaluate(frame, out bool shared);
        frame.Declare(path, shared ? AmlStore.Copy(data) : data, Offset);
        return AmlCompletion.Normal;
    }
}

/// <summary>OperationRegion (NameString, RegionSpace, RegionOffset, RegionLength): offset and length are TermArgs evaluated now.</summary>
internal sealed class RegionDeclarationNode(int offset, AmlNamePath path, byte space, AmlNode address, AmlNode length) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        var region = new AcpiOperationRegion(space, Integer(address, frame), Integer(length, frame));
        frame.Declare(path, region, Offset);
        return AmlCompletion.Normal;
    }
}

/// <summary>One named element of a FieldList: position and size in bits, and the access type in force.</summary>
internal sealed record AmlFieldEntry(int Offset, AmlNamePath Name, long BitOffset, int BitLength, int AccessType);

/// <summary>Field (RegionName, FieldFlags) {FieldList}: creates the field units on the region.</summary>
internal sealed class FieldDeclarationNode(int offset, NameNode region, int updateRule, AmlFieldEntry[] entries) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        NamespaceNode regionNode = region.FindOrThrow(frame);
        if (regionNode.Object is not AcpiOperationRegion operationRegion)
        {
            throw Error(frame, $"AE_AML_OPERAND_TYPE: Field region {regionNode.Path} is {AmlConvert.Describe(regionNode.Object)}, not an OperationRegion");
        }
        foreach (AmlFieldEntry entry in entries)
        {
            int width = AccessWidth(entry, operationRegion);
            frame.Declare(entry.Name, new AcpiFieldUnit(operationRegion, entry.BitOffset, entry.BitLength, width, updateRule), entry.Offset);
        }
        return AmlCompletion.Normal;
    }

    // AccessType: 0 Any, 1 Byte, 2 Word, 3 DWord, 4 QWord, 5 Buffer (byte-wise).
    private static int AccessWidth(AmlFieldEntry entry, AcpiOperationRegion region)
    {
        switch (entry.AccessType)
        {
            case 1 or 5:
                return 1;
            case 2:
                return 2;
            case 3:
                return 4;
            case 4:
                return 8;
        }
        // AnyAcc: the narrowest aligned access that covers the field in one go and stays in the region.
        for (int width = 1; width <= 8; width *= 2)
        {
            long start = (entry.BitOffset >> 3) & ~(long)(width - 1);
            if ((start * 8) + (width * 8) >= entry.BitOffset + entry.BitLength && (ulong)(start + width) <= region.Length)
            {
                return width;
            }
        }
        return 1;
    }
}

/// <summary>CreateBit/Byte/Word/DWord/QWordField and CreateField: a named window onto a buffer.</summary>
internal sealed class CreateFieldNode(int offset, int fixedBits, AmlNode source, AmlNode index, AmlNode? bitCount, AmlNamePath path) : AmlStatement(offset)
{
    public override AmlCompletion Execute(AmlFrame frame)
    {
        AcpiObject value = source.Evaluate(frame);
        if (value is not AcpiBuffer buffer)
        {
            throw Error(frame, $"AE_AML_OPERAND_TYPE: the source of a buffer field must be a Buffer, not {AmlConvert.Describe(value)}");
        }
        ulong position = Integer(index, frame);
        ulong bits;
        if (bitCount is null)
        {
            // CreateBitField takes a bit index; the byte-sized ones a byte index.
            bits = (ulong)fixedBits;
            position = fixedBits == 1 ? position : position * 8;
        }
        else
        {
            bits = Integer(bitCount, frame);
            if (bits == 0)
            {
                throw Error(frame, "AE_AML_OPERAND_VALUE: CreateField of zero bits");
            }
        }
        ulong available = (ulong)buffer.Data.Length * 8;
        if (position > available || bits > available - position)
        {
            throw Error(frame, $"AE_AML_BUFFER_LIMIT: field {path} at bit 0x{position:X}, 0x{bits:X} bits, exceeds the {buffer.Data.Length}-byte buffer");
        }
        frame.Declare(path, new AcpiBufferField(buffer, (long)position, (int)bits, isCreateField: bitCount is not null), Offset);
        return AmlCompletion.Normal;
    }
}
