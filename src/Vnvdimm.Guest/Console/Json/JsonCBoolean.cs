using System.Text;

namespace Vnvdimm.Guest.Console.Json;

/// <summary>A json-c boolean.</summary>
public sealed class JsonCBoolean(bool value) : JsonCValue
{
    public bool Value { get; } = value;

    internal override void Write(StringBuilder text, int level) => text.Append(Value ? "true" : "false");
}
