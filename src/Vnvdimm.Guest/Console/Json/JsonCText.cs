using System.Text;

namespace Vnvdimm.Guest.Console.Json;

/// <summary>A value already printed by json-c at nesting level 0 (Vnvdimm.Ndctl's JSON), re-indented where it is nested.</summary>
public sealed class JsonCText(string text) : JsonCValue
{
    public string Text { get; } = text;

    internal override void Write(StringBuilder text, int level)
    {
        string[] lines = Text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                text.Append('\n');
                Indent(text, level);
            }
            text.Append(lines[i]);
        }
    }
}
