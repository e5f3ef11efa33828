using System.Text;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Check;

/// <summary>
/// Splits any QEMU 7.2 command line (libvirt's included) into the part vnvdimm models (machine,
/// memory, CPUs, NUMA, memory backends, memory devices) and the rest, which `check` notes as
/// skipped instead of refusing: -chardev, -mon, -blockdev, -netdev, other -device and -object
/// types, and so on.
/// </summary>
public static class CheckArguments
{
    // What VmCommandLine parses, with an argument (aliases included).
    private static readonly HashSet<string> ModelledWithArgument = new(StringComparer.Ordinal)
    {
        "-machine", "-M", "-m", "-cpu", "-smp", "-object", "-device", "-numa", "-accel",
    };

    // Modelled flags that change nothing here; kept so the machine sees them as QEMU does.
    private static readonly HashSet<string> ModelledFlags = new(StringComparer.Ordinal) { "-nodefaults", "-S", "-nographic", "-no-reboot", "-no-shutdown" };

    // QEMU 7.2 options that take no argument (qemu-options.hx); anything else takes one.
    private static readonly HashSet<string> ForeignFlags = new(StringComparer.Ordinal)
    {
        "-no-user-config", "-no-hpet", "-enable-kvm", "-daemonize", "-snapshot", "-full-screen", "-enable-fips",
        "-win2k-hack", "-no-fd-bootchk", "-no-quit", "-only-migratable", "-preconfig", "-semihosting", "-alt-grab",
        "-ctrl-grab", "-no-frame", "-sdl", "-curses", "-portrait", "-s", "-xen-attach", "-nouserconfig",
    };

    // Memory backends and memory devices vnvdimm models; other types are skipped.
    private static readonly HashSet<string> ModelledObjects = new(StringComparer.Ordinal) { "memory-backend-file", "memory-backend-ram", "memory-backend-memfd" };
    private static readonly HashSet<string> ModelledDevices = new(StringComparer.Ordinal) { "nvdimm", "pc-dimm" };

    /// <summary>The modelled arguments, in order, and one note per skipped option.</summary>
    public static (IReadOnlyList<string> Modelled, IReadOnlyList<string> Skipped) Filter(IReadOnlyList<string> args)
    {
        var modelled = new List<string>();
        var skipped = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[1..] : arg;
            if (!arg.StartsWith('-') || arg == "-")
            {
                skipped.Add($"skipped: {arg}: not modelled");
                continue;
            }
            if (name == "-no-acpi")
            {
                // QEMU 7.2 turns -no-acpi into the machine property acpi=off.
                modelled.Add("-machine");
                modelled.Add("acpi=off");
                continue;
            }
            if (ModelledFlags.Contains(name))
            {
                modelled.Add(arg);
                continue;
            }
            if (ForeignFlags.Contains(name))
            {
                skipped.Add($"skipped: {arg}: not modelled");
                continue;
            }
            bool hasArgument = i + 1 < args.Count;
            string argument = hasArgument ? args[i + 1] : string.Empty;
            if (!hasArgument)
            {
                // Left to the parser, which says "requires an argument" (or "invalid option").
                modelled.Add(arg);
                continue;
            }
            i++;
            bool keep = name switch
            {
                "-object" => ModelledObjects.Contains(TypeOf(argument, "qom-type") ?? string.Empty) || IsHelp(argument),
                "-device" => ModelledDevices.Contains(TypeOf(argument, "driver") ?? string.Empty) || IsHelp(argument),
                _ => ModelledWithArgument.Contains(name),
            };
            if (keep)
            {
                modelled.Add(arg);
                modelled.Add(argument);
            }
            else
            {
                skipped.Add($"skipped: {arg} {argument}: not modelled");
            }
        }
        return (modelled, skipped);
    }

    private static bool IsHelp(string argument) => argument is "help" or "?" || argument.EndsWith(",help", StringComparison.Ordinal);

    // The type of an -object/-device: JSON "qom-type"/"driver", or the implied first key.
    private static string? TypeOf(string argument, string key)
    {
        if (argument.StartsWith('{'))
        {
            try
            {
                return OptionJson.Parse(argument) is QemuJsonObject json ? json.TryGetString(key) : null;
            }
            catch (QemuOptionException)
            {
                // A malformed JSON option is the parser's to refuse, with QEMU's message.
                return key == "driver" ? "nvdimm" : "memory-backend-file";
            }
        }
        bool first = true;
        foreach (string part in SplitOpts(argument))
        {
            int equals = part.IndexOf('=');
            if (equals < 0)
            {
                // The implied key names the type only as the first element.
                if (first)
                {
                    return part;
                }
                continue;
            }
            first = false;
            if (part[..equals] == key)
            {
                return part[(equals + 1)..];
            }
        }
        return null;
    }

    // QemuOpts elements, with ",," as a literal comma.
    private static IEnumerable<string> SplitOpts(string text)
    {
        var current = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == ',' && i + 1 < text.Length && text[i + 1] == ',')
            {
                current.Append(',');
                i++;
            }
            else if (text[i] == ',')
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }
        yield return current.ToString();
    }

    /// <summary>
    /// An --argv-file: one argument per line, or a shell-quoted command line (lines joined by a
    /// trailing backslash, as libvirt's .args files are). Leading VAR=value words and the program
    /// (a first word that is no option) are dropped.
    /// </summary>
    public static IReadOnlyList<string> ParseArgvFile(string text)
    {
        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        bool shellQuoted = lines.Length == 1 || lines.Any(l => l.EndsWith('\\'));
        List<string> words = shellQuoted ? ShellWords(text) : [.. lines];
        return DropProgram(words);
    }

    /// <summary>/proc/PID/cmdline: NUL-separated, argv[0] dropped.</summary>
    public static IReadOnlyList<string> ParseProcCmdline(ReadOnlySpan<byte> cmdline)
    {
        string text = Encoding.UTF8.GetString(cmdline).TrimEnd('\0');
        string[] parts = text.Split('\0');
        return parts.Length <= 1 ? [] : parts[1..];
    }

    private static List<string> DropProgram(List<string> words)
    {
        int start = 0;
        while (start < words.Count && IsAssignment(words[start]))
        {
            start++;
        }
        if (start < words.Count && !words[start].StartsWith('-'))
        {
            start++;
        }
        return words[start..];
    }

    private static bool IsAssignment(string word)
    {
        int equals = word.IndexOf('=');
        return equals > 0 && (char.IsAsciiLetter(word[0]) || word[0] == '_') && word[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }

    /// <summary>POSIX shell word splitting with ' and " quotes and backslash escapes (no expansion).</summary>
    public static List<string> ShellWords(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\\' when i + 1 < text.Length:
                    i++;
                    if (text[i] != '\n')
                    {
                        word.Append(text[i]);
                        inWord = true;
                    }
                    break;
                case '\'':
                    int close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new QemuOptionException("unterminated quote", "--argv-file");
                    }
                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    inWord = true;
                    for (i++; ; i++)
                    {
                        if (i >= text.Length)
                        {
                            throw new QemuOptionException("unterminated quote", "--argv-file");
                        }
                        if (text[i] == '"')
                        {
                            break;
                        }
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`' or '\n')
                        {
                            i++;
                            if (text[i] == '\n')
                            {
                                continue;
                            }
                        }
                        word.Append(text[i]);
                    }
                    break;
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
