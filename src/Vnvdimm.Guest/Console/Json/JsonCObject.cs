using System.Text;

namespace Vnvdimm.Guest.Console.Json;

/// <summary>A json-c object: members in insertion order; adding an existing key replaces its value in place.</summary>
public sealed class JsonCObject : JsonCValue
{
    private readonly List<KeyValuePair<string, JsonCValue>> _members = [];

    public IReadOnlyList<KeyValuePair<string, JsonCValue>> Members => _members;

    public JsonCValue? this[string key] => _members.FirstOrDefault(m => m.Key == key).Value;

    public JsonCObject Add(string key, JsonCValue value)
    {
        int index = _members.FindIndex(m => m.Key == key);
        if (index >= 0)
        {
            _members[index] = new(key, value);
        }
        else
        {
            _members.Add(new(key, value));
        }
        return this;
    }

    internal override void Write(StringBuilder text, int level)
    {
        text.Append("{\n");
        for (int i = 0; i < _members.Count; i++)
        {
            if (i > 0)
            {
                text.Append(",\n");
            }
            Indent(text, level + 1);
            text.Append('"');
            JsonCString.Escape(text, _members[i].Key);
            text.Append("\":");
            _members[i].Value.Write(text, level + 1);
        }
        if (_members.Count > 0)
        {
            text.Append('\n');
        }
        Indent(text, level);
        text.Append('}');
    }
}
