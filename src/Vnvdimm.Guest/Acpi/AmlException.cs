namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// A table that cannot be loaded or a method that cannot run: malformed or unsupported AML, or an
/// AML run-time error. Messages start with ACPICA's status name where one applies
/// (<c>AE_NOT_FOUND</c>, <c>AE_AML_LOOP_TIMEOUT</c>, …) and end with the byte offset in the table.
/// </summary>
public sealed class AmlException : Exception
{
    public AmlException(string message)
        : base(message)
    {
    }

    public AmlException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal AmlException(string message, AmlTable? table, int offset, int? opcode = null)
        : base(table is null ? message : $"{message} (at offset 0x{offset:X} in {table.Describe()})")
    {
        Offset = table is null ? null : offset;
        TableSignature = table?.Signature;
        Opcode = opcode;
    }

    /// <summary>Byte offset from the start of the table (header included), when the error has a place.</summary>
    public int? Offset { get; }

    /// <summary>Signature of the table the offset refers to.</summary>
    public string? TableSignature { get; }

    /// <summary>The opcode that was not understood (extended opcodes as 0x5Bxx).</summary>
    public int? Opcode { get; }
}
