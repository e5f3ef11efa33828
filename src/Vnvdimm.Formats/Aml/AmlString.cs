namespace Vnvdimm.Formats.Aml;

/// <summary>A String constant: StringPrefix, ASCII characters 0x01-0x7F, NUL.</summary>
public sealed class AmlString : AmlObject
{
    private readonly byte[] _ascii;

    public AmlString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _ascii = new byte[value.Length];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c is < '\u0001' or > '\u007F')
            {
                throw new ArgumentException($"AML strings hold ASCII 0x01-0x7F; '{value}' has U+{(int)c:X4} at {i}", nameof(value));
            }
            _ascii[i] = (byte)c;
        }
        Value = value;
    }

    public string Value { get; }

    public override int Length => 1 + _ascii.Length + 1;

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(AmlOpcode.StringPrefix);
        writer.WriteBytes(_ascii);
        writer.WriteByte(0);
    }
}
