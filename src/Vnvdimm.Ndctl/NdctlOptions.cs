namespace Vnvdimm.Ndctl;

/// <summary>
/// Options in the style of ndctl's parse-options (from git): -x, bundled -xy, -oVALUE / -o VALUE,
/// --long, --long=VALUE / --long VALUE, "--" ends options; the rest are arguments.
/// </summary>
internal sealed class NdctlOptions
{
    /// <summary>One option: short letter (or '\0'), long name, whether it takes a value, whether that value is an OPT_UINTEGER.</summary>
    internal sealed record Spec(char Short, string Long, bool TakesValue, bool Numeric = false);

    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> negated = new(StringComparer.Ordinal);

    public List<string> Arguments { get; } = [];

    /// <summary>-h or --help: parse-options stops and prints the usage (no error line).</summary>
    public bool HelpRequested { get; private set; }

    public bool Has(string longName) => values.ContainsKey(longName);

    /// <summary>Whether --no-NAME turned the switch off (and no later --NAME turned it on again).</summary>
    public bool IsNegated(string longName) => negated.Contains(longName) && !values.ContainsKey(longName);

    public string? Value(string longName) => values.GetValueOrDefault(longName);

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> is ndctl's wording.</summary>
    public static NdctlOptions? TryParse(IReadOnlyList<string> args, IReadOnlyList<Spec> specs, out string? error)
    {
        var result = new NdctlOptions();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                result.Arguments.AddRange(args.Skip(i + 1));
                break;
            }
            if (NdctlUsage.IsLongHelp(arg))
            {
                result.HelpRequested = true;
                return result;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                string name = arg[2..];
                string? inline = null;
                int eq = name.IndexOf('=');
                if (eq >= 0)
                {
                    inline = name[(eq + 1)..];
                    name = name[..eq];
                }
                Spec? spec = specs.FirstOrDefault(s => s.Long == name);
                if (spec is null && inline is null && name.StartsWith("no-", StringComparison.Ordinal)
                    && specs.FirstOrDefault(s => s.Long == name[3..] && !s.TakesValue) is Spec negated)
                {
                    // parse-options: --no-SWITCH turns a switch off.
                    result.values.Remove(negated.Long);
                    result.negated.Add(negated.Long);
                    continue;
                }
                if (spec is null)
                {
                    error = $"unknown option `{name}'";
                    return null;
                }
                if (!spec.TakesValue)
                {
                    if (inline is not null)
                    {
                        error = $"option `{name}' takes no value";
                        return null;
                    }
                    result.values[name] = null;
                    continue;
                }
                string? value = inline ?? (i + 1 < args.Count ? args[++i] : null);
                if (value is null)
                {
                    error = $"option `{name}' requires a value";
                    return null;
                }
                if (spec.Numeric && !NdctlNumbers.TryParseUInteger(value, out _))
                {
                    error = $"option `{name}' expects a numerical value";
                    return null;
                }
                result.values[name] = value;
                continue;
            }
            if (arg.Length > 1 && arg[0] == '-')
            {
                for (int k = 1; k < arg.Length; k++)
                {
                    Spec? spec = specs.FirstOrDefault(s => s.Short == arg[k]);
                    if (spec is null && arg[k] == 'h')
                    {
                        result.HelpRequested = true;
                        return result;
                    }
                    if (spec is null)
                    {
                        error = $"unknown switch `{arg[k]}'";
                        return null;
                    }
                    if (!spec.TakesValue)
                    {
                        result.values[spec.Long] = null;
                        continue;
                    }
                    string? value = k + 1 < arg.Length ? arg[(k + 1)..] : i + 1 < args.Count ? args[++i] : null;
                    if (value is null)
                    {
                        error = $"switch `{arg[k]}' requires a value";
                        return null;
                    }
                    if (spec.Numeric && !NdctlNumbers.TryParseUInteger(value, out _))
                    {
                        error = $"switch `{arg[k]}' expects a numerical value";
                        return null;
                    }
                    result.values[spec.Long] = value;
                    break;
                }
                continue;
            }
            result.Arguments.Add(arg);
        }
        return result;
    }
}
