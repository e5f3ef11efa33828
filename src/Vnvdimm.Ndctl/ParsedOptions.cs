namespace Vnvdimm.Ndctl;

/// <summary>What parse-options made of a command line: switch counts, option values and the remaining arguments.</summary>
internal sealed class ParsedOptions
{
    public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public List<string> Arguments { get; } = [];

    public bool IsSet(string longName) => Counts.GetValueOrDefault(longName) > 0;

    public int Count(string longName) => Counts.GetValueOrDefault(longName);

    public string? Value(string longName) => Values.GetValueOrDefault(longName);
}
