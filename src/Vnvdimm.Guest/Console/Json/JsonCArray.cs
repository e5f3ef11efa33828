using System.Text;

namespace Vnvdimm.Guest.Console.Json;

/// <summary>A json-c array.</summary>
public sealed class JsonCArray : JsonCValue
{
    private readonly List<JsonCValue> _elements = [];

    public IReadOnlyList<JsonCValue> Elements => _elements;

    public int Count => _elements.Count;

    public JsonCArray Add(JsonCValue value)
    {
        _elements.Add(value);
        return this;
    }

    internal override void Write(StringBuilder text, int level)
    {
        text.Append("[\n");
        for (int i = 0; i < _elements.Count; i++)
        {
            if (i > 0)
            {
                text.Append(",\n");
            }
            Indent(text, level + 1);
            _elements[i].Write(text, level + 1);
        }
        if (_elements.Count > 0)
        {
            text.Append('\n');
        }
        Indent(text, level);
        text.Append(']');
    }
}
