namespace Vnvdimm.Formats.Aml;

/// <summary>A method invocation: the method's name followed by its arguments, with no opcode.</summary>
public sealed class AmlMethodCall : AmlObject
{
    private readonly AmlObject[] _arguments;
    private readonly int _length;

    public AmlMethodCall(string method, params AmlObject[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Length > 7)
        {
            throw new ArgumentException($"AML methods take at most 7 arguments, not {arguments.Length}", nameof(arguments));
        }
        Method = new AmlNameString(method);
        _arguments = [.. arguments];
        _length = Method.Length;
        foreach (AmlObject argument in _arguments)
        {
            _length += argument.Length;
        }
    }

    public AmlNameString Method { get; }

    public IReadOnlyList<AmlObject> Arguments => _arguments;

    public override int Length => _length;

    public override void WriteTo(AmlWriter writer)
    {
        Method.WriteTo(writer);
        foreach (AmlObject argument in _arguments)
        {
            argument.WriteTo(writer);
        }
    }
}
