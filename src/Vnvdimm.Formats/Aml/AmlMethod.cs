namespace Vnvdimm.Formats.Aml;

/// <summary>
/// ASL <c>Method(name, argCount, Serialized|NotSerialized, syncLevel) { ... }</c>:
/// MethodOp, PkgLength, NameString, MethodFlags, TermList.
/// MethodFlags = argCount (bits 0-2) | serialized (bit 3) | syncLevel (bits 4-7).
/// </summary>
public sealed class AmlMethod : AmlTermContainer
{
    public AmlMethod(string name, int argumentCount, bool serialized, int syncLevel = 0)
        : base(AmlOpcode.Method)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(argumentCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(argumentCount, 7);
        ArgumentOutOfRangeException.ThrowIfNegative(syncLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(syncLevel, 15);
        Name = new AmlNameString(name);
        ArgumentCount = argumentCount;
        Serialized = serialized;
        SyncLevel = syncLevel;
    }

    public AmlNameString Name { get; }

    public int ArgumentCount { get; }

    public bool Serialized { get; }

    public int SyncLevel { get; }

    public byte Flags => (byte)(ArgumentCount | (Serialized ? 0x08 : 0) | (SyncLevel << 4));

    protected override int HeaderLength => Name.Length + 1;

    protected override void WriteHeader(AmlWriter writer)
    {
        Name.WriteTo(writer);
        writer.WriteByte(Flags);
    }
}
