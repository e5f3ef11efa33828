using System.Text;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Guest.Console;

/// <summary>
/// The guest's shell: one command line at a time, with the commands the built-in guest has
/// (<c>ndctl list</c>, <c>ndctl read-labels</c>, <c>dmesg</c>). Output goes to
/// <paramref name="stdout"/>, errors to stderr, in the programs' own words. Each command first waits
/// for pending hardware events to be handled, as a script would after <c>udevadm settle</c>.
/// Files the commands name stay inside <paramref name="folder"/> (default: the current folder).
/// </summary>
public sealed class GuestShell(LinuxGuest guest, GuestFolder? folder = null)
{
    /// <summary>ndctl's version in the reference guest (Debian 12).</summary>
    public const string NdctlVersion = "76";

    // ndctl 76's other commands: recognised, but not part of this guest yet.
    private static readonly string[] OtherNdctlCommands =
    [
        "update-firmware", "activate-firmware", "setup-passphrase", "update-passphrase",
        "remove-passphrase", "freeze-security", "load-keys", "wait-overwrite", "write-infoblock", "monitor",
    ];

    private readonly LinuxGuest _guest = guest ?? throw new ArgumentNullException(nameof(guest));

    /// <summary>True once "poweroff" or "exit" ran: the console session is over.</summary>
    public bool PoweredOff { get; private set; }

    private readonly GuestFolder _folder = folder ?? new GuestFolder(Directory.GetCurrentDirectory());

    /// <summary>
    /// The byte stream behind the stdout writer, when there is one (the real console): binary output
    /// such as read-labels without -o goes there byte for byte, as ndctl's fwrite to stdout does.
    /// Without it each byte becomes the Latin-1 character of the same value.
    /// </summary>
    public Stream? BinaryOutput { get; init; }

    /// <summary>uuid_generate for ndctl's made-up uuids (pfn/dax/btt devices); tests pin it.</summary>
    public Func<Guid> NewUuid { get; init; } = Guid.NewGuid;

    /// <summary>Runs one command line; returns its exit status.</summary>
    public int Execute(string commandLine, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!TrySplit(commandLine, out List<string> words))
        {
            stderr.Write("sh: syntax error: unterminated quoted string\n");
            return 2;
        }
        if (words.Count == 0)
        {
            return 0;
        }
        switch (words[0])
        {
            case "help":
                return Help(stdout);
            case "poweroff" or "exit":
                PoweredOff = true;
                return 0;
        }
        _guest.Settle();
        lock (_guest.KernelLock)
        {
            return words[0] switch
            {
                "ndctl" => Ndctl(words.Skip(1).ToList(), stdout, stderr),
                "dmesg" => Dmesg(stdout),
                _ => NotFound(words[0], stderr),
            };
        }
    }

    private static int Help(TextWriter stdout)
    {
        stdout.Write("Commands of the vnvdimm guest:\n"
            + "  ndctl COMMAND [ARGS]  ndctl " + NdctlVersion + ": " + string.Join(", ", NdctlCommands.Names.Distinct().Order(StringComparer.Ordinal)) + "\n"
            + "  dmesg                 the guest kernel's messages\n"
            + "  help                  this list\n"
            + "  poweroff, exit        power the machine off and leave (as the end of input does)\n");
        return 0;
    }

    private static int NotFound(string command, TextWriter stderr)
    {
        stderr.Write($"sh: {command}: not found\n");
        return 127;
    }

    private int Dmesg(TextWriter stdout)
    {
        foreach (string line in _guest.Log.Lines)
        {
            stdout.Write(line + "\n");
        }
        return 0;
    }

    private int Ndctl(List<string> args, TextWriter stdout, TextWriter stderr)
    {
        string command = args.Count == 0 ? "--help" : args[0];
        List<string> rest = args.Skip(1).ToList();
        switch (command)
        {
            case "--version":
            case "version":
                stdout.Write(NdctlVersion + "\n");
                return 0;
            case "--help":
            case "help":
                stdout.Write("\n usage: ndctl [--version] [--help] COMMAND [ARGS]\n\n See 'ndctl help COMMAND' for more information on a specific command.\n ndctl --list-cmds to see all available commands\n");
                return 0;
            case "list":
                return NdctlCommands.List(rest, GuestNdctlBuses.All(_guest), stdout, stderr);
            default:
                if (NdctlCommands.Names.Contains(command))
                {
                    return Shared(args, stdout, stderr);
                }
                if (OtherNdctlCommands.Contains(command))
                {
                    stderr.Write($"ndctl {command}: not available in the vnvdimm guest yet\n");
                    return 1;
                }
                stderr.Write($"ndctl: '{command}' is not a ndctl command. See 'ndctl --help'.\n");
                return 1;
        }
    }

    /// <summary>
    /// The label and namespace commands, run by Vnvdimm.Ndctl as the offline tool runs them, over the
    /// guest's DIMMs (labels through Get/Set Config Data, media in guest memory).
    /// </summary>
    private int Shared(List<string> args, TextWriter stdout, TextWriter stderr)
    {
        using var output = new TextWriterStream(stdout, BinaryOutput);
        // The guest console is the guest's serial terminal: ndctl's isatty(1) is true there, as in
        // the captures (one DIMM's read-labels -j prints an object, create-namespace human sizes).
        var io = new NdctlIo(output, stderr, Stream.Null, OutputIsTerminal: true) { Files = _folder, NewUuid = NewUuid };
        try
        {
            return NdctlCommands.Run(args, GuestNdctlDimms.All(_guest), io);
        }
        catch (IOException e)
        {
            stderr.Write($"ndctl {args[0]}: {e.Message}\n");
            return 1;
        }
    }

    // Words as sh splits them: blanks separate, quotes group, backslash escapes outside single quotes.
    private static bool TrySplit(string line, out List<string> words)
    {
        words = [];
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else if (c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is ' ' or '\t')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '\\' && i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
        }
        if (quote != '\0')
        {
            return false;
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return true;
    }
}
