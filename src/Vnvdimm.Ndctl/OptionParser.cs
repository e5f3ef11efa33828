using System.Globalization;

namespace Vnvdimm.Ndctl;

/// <summary>
/// ndctl's parse-options (borrowed from git): bundled short switches (-DRNiu), values attached or
/// separate (-r0, -r 0, --region=0, --region 0), --no-x for switches, "--" ends options, options
/// and arguments in any order. Errors and usage go to stderr in its words and layout.
/// </summary>
internal static class OptionParser
{
    /// <summary>Parses <paramref name="args"/>; on an error prints it and the usage and returns null (ndctl exits 129).</summary>
    public static ParsedOptions? Parse(IReadOnlyList<string> args, IReadOnlyList<CommandOption> options, string usage, TextWriter stderr)
    {
        var parsed = new ParsedOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                parsed.Arguments.AddRange(args.Skip(i + 1));
                break;
            }
            if (NdctlUsage.IsLongHelp(arg))
            {
                NdctlUsage.Print(usage, stderr);
                return null;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!ParseLong(arg[2..], args, ref i, options, parsed, out string? error))
                {
                    return Fail(error, usage, stderr);
                }
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                if (!ParseShorts(arg, args, ref i, options, parsed, out string? error))
                {
                    return Fail(error, usage, stderr);
                }
            }
            else
            {
                parsed.Arguments.Add(arg);
            }
        }
        return parsed;
    }

    /// <summary>usage_with_options: ndctl's usage text for the command whose usage line is <paramref name="usage"/>.</summary>
    public static void PrintUsage(string usage, TextWriter stderr) => NdctlUsage.Print(usage, stderr);

    private static ParsedOptions? Fail(string? error, string usage, TextWriter stderr)
    {
        // -h is not an error: parse-options prints the usage alone.
        if (error is not null)
        {
            stderr.Write($"  Error: {error}\n");
        }
        PrintUsage(usage, stderr);
        return null;
    }

    private static bool ParseLong(string text, IReadOnlyList<string> args, ref int index, IReadOnlyList<CommandOption> options, ParsedOptions parsed, out string? error)
    {
        error = null;
        string name = text;
        string? value = null;
        int equals = text.IndexOf('=');
        if (equals >= 0)
        {
            name = text[..equals];
            value = text[(equals + 1)..];
        }
        bool negated = false;
        CommandOption? option = options.FirstOrDefault(o => o.Long == name);
        if (option is null && name.StartsWith("no-", StringComparison.Ordinal))
        {
            option = options.FirstOrDefault(o => o.Long == name[3..] && o.Kind is OptionKind.Boolean or OptionKind.Increment);
            negated = option is not null;
        }
        if (option is null)
        {
            error = $"unknown option `{name}'";
            return false;
        }
        if (option.Kind is OptionKind.Boolean or OptionKind.Increment)
        {
            if (value is not null)
            {
                error = $"option `{name}' takes no value";
                return false;
            }
            parsed.Counts[option.Long] = negated ? 0 : parsed.Count(option.Long) + 1;
            return true;
        }
        if (value is null)
        {
            if (index + 1 >= args.Count)
            {
                error = $"option `{name}' requires a value";
                return false;
            }
            value = args[++index];
        }
        return Store(option, value, $"option `{name}'", parsed, out error);
    }

    private static bool ParseShorts(string arg, IReadOnlyList<string> args, ref int index, IReadOnlyList<CommandOption> options, ParsedOptions parsed, out string? error)
    {
        error = null;
        for (int c = 1; c < arg.Length; c++)
        {
            char letter = arg[c];
            CommandOption? option = options.FirstOrDefault(o => o.Short == letter);
            if (option is null && letter == 'h')
            {
                return false;
            }
            if (option is null)
            {
                error = $"unknown switch `{letter}'";
                return false;
            }
            if (option.Kind is OptionKind.Boolean or OptionKind.Increment)
            {
                parsed.Counts[option.Long] = parsed.Count(option.Long) + 1;
                continue;
            }
            string value;
            if (c + 1 < arg.Length)
            {
                value = arg[(c + 1)..];
            }
            else if (index + 1 < args.Count)
            {
                value = args[++index];
            }
            else
            {
                error = $"switch `{letter}' requires a value";
                return false;
            }
            return Store(option, value, $"switch `{letter}'", parsed, out error);
        }
        return true;
    }

    private static bool Store(CommandOption option, string value, string what, ParsedOptions parsed, out string? error)
    {
        error = null;
        if (option.Kind == OptionKind.UnsignedInteger && !NdctlNumbers.TryParseUInteger(value, out _))
        {
            error = $"{what} expects a numerical value";
            return false;
        }
        parsed.Values[option.Long] = value;
        parsed.Counts[option.Long] = parsed.Count(option.Long) + 1;
        return true;
    }

    /// <summary>strtoul with base 0: decimal, 0x hex or 0 octal.</summary>
    public static bool TryParseUnsigned(string text, out uint value)
    {
        value = 0;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        if (text.Length > 1 && text[0] == '0')
        {
            try
            {
                value = Convert.ToUInt32(text, 8);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
