namespace Vnvdimm.Guest.Acpi;

/// <summary>Store semantics for named targets (ACPI 6.5 §19.3.5.9) and object copying.</summary>
internal static class AmlStore
{
    /// <summary>
    /// A copy that shares nothing mutable with <paramref name="value"/>: buffers and packages (deeply)
    /// are duplicated, immutable integers and strings and references are returned as they are.
    /// </summary>
    public static AcpiObject Copy(AcpiObject value) => value switch
    {
        AcpiBuffer buffer => new AcpiBuffer(buffer.Data, takeOwnership: false),
        AcpiPackage package => CopyPackage(package),
        _ => value,
    };

    /// <summary>
    /// Stores into a named object. Fields are written; Integer, String and Buffer names keep their type
    /// (implicit conversion); other names take the value. <paramref name="copyObject"/> (CopyObject, or
    /// a store through an ArgX reference) replaces the object without conversion.
    /// </summary>
    public static void ToNode(AmlFrame frame, NamespaceNode node, AcpiObject value, bool valueIsShared, bool copyObject, int offset)
    {
        AcpiObject? current = node.Object;
        switch (current)
        {
            case AcpiFieldUnit field:
                AmlFieldIo.Write(frame, field, value, offset);
                return;
            case AcpiBufferField bufferField:
                AmlFieldIo.WriteBufferField(frame, bufferField, value, offset);
                return;
            case null or AcpiDevice or AcpiMethod or AcpiOperationRegion:
                throw new AmlException($"AE_AML_OPERAND_TYPE: cannot store into {node.Path}, {AmlConvert.Describe(current)}", frame.Table, offset);
        }
        if (copyObject)
        {
            node.Object = valueIsShared ? Copy(value) : value;
            return;
        }
        switch (current)
        {
            case AcpiInteger:
                node.Object = AcpiInteger.From(AmlConvert.ToInteger(value, frame, offset));
                return;
            case AcpiString:
                node.Object = value as AcpiString ?? new AcpiString(AmlConvert.ToImplicitString(value, frame, offset));
                return;
            case AcpiBuffer target:
                StoreToBuffer(frame, node, target, value, valueIsShared, offset);
                return;
            default:
                // Packages, references and uninitialized names are not converted: the name takes a copy.
                node.Object = valueIsShared ? Copy(value) : value;
                return;
        }
    }

    private static void StoreToBuffer(AmlFrame frame, NamespaceNode node, AcpiBuffer target, AcpiObject value, bool valueIsShared, int offset)
    {
        bool inPlace = value is not AcpiBuffer || (frame.Interpreter.Options.AcpicaBufferStoreTruncation && target.Data.Length != 0);
        if (!inPlace)
        {
            // ACPI spec: the name's old object is replaced by a copy of the source.
            node.Object = valueIsShared ? Copy(value) : value;
            return;
        }
        if (ReferenceEquals(value, target))
        {
            return;
        }
        // Converted (or ACPICA-mode) stores overwrite the existing buffer: zero-extended or truncated to
        // its length; an empty buffer takes the source's length.
        byte[] source = AmlConvert.ToBufferBytes(value, frame, offset);
        if (target.Data.Length == 0)
        {
            target.Data = (byte[])source.Clone();
            return;
        }
        Span<byte> destination = target.Data;
        int count = Math.Min(source.Length, destination.Length);
        source.AsSpan(0, count).CopyTo(destination);
        destination[count..].Clear();
    }

    private static AcpiPackage CopyPackage(AcpiPackage package)
    {
        var items = new AcpiObject[package.Items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = Copy(package.Items[i]);
        }
        return new AcpiPackage(items);
    }
}
