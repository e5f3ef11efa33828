using System.Buffers.Binary;
using System.Text;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Ndctl;

/// <summary>
/// ndctl's label commands (ndctl 76 ndctl/dimm.c and the label parts of ndctl/lib/dimm.c, research
/// §3.1–3.2): read-labels, write-labels, zero-labels, init-labels, check-labels over
/// <see cref="NdctlDimm"/>s. Messages, JSON and exit codes are ndctl's: a summary such as
/// "read 1 nmem" on stderr, exit 0 unless an action failed, 129 for usage errors.
/// </summary>
public static class NdctlCommands
{
    private const int UsageExit = 129;
    private const int Failure = 1;
    private const int EBusy = -16;
    private const int ENxio = -6;
    private const int EInval = -22;
    private const int InvalidNames = int.MinValue;

    /// <summary>Offsets ndctl uses when it dumps index blocks without validating them.</summary>
    private const int IndexAlignment = LabelAreaGeometry.IndexAlignment;

    private static readonly NdctlOptions.Spec Bus = new('b', "bus", true);
    private static readonly NdctlOptions.Spec Verbose = new('v', "verbose", false);
    private static readonly NdctlOptions.Spec Size = new('s', "size", true, Numeric: true);
    private static readonly NdctlOptions.Spec Offset = new('O', "offset", true, Numeric: true);

    private sealed record Command(string Usage, string Done, NdctlOptions.Spec[] Options, Func<NdctlDimm, Context, int> Action);

    private sealed class Context(NdctlOptions options, NdctlIo io)
    {
        public NdctlOptions Options { get; } = options;
        public NdctlIo Io { get; } = io;
        public Stream Output { get; set; } = io.Output;
        public Stream Input { get; set; } = io.Input;
        public List<object>? Json { get; set; }
        public int LabelVersion { get; set; }
    }

    private static readonly Dictionary<string, Command> Commands = new(StringComparer.Ordinal)
    {
        ["read-labels"] = new("ndctl read-labels <nmem0> [<nmem1>..<nmemN>] [-o <filename>]", "read {0} nmem{1}",
            [Bus, Verbose, Size, Offset, new('o', "output", true), new('I', "index", false), new('j', "json", false), new('u', "human", false)], Read),
        ["write-labels"] = new("ndctl write-labels <nmem> [-i <filename>]", "wrote {0} nmem{1}",
            [Bus, Verbose, Size, Offset, new('i', "input", true)], Write),
        ["zero-labels"] = new("ndctl zero-labels <nmem0> [<nmem1>..<nmemN>] [<options>]", "zeroed {0} nmem{1}",
            [Bus, Verbose, Size, Offset], Zero),
        ["init-labels"] = new("ndctl init-labels <nmem0> [<nmem1>..<nmemN>] [<options>]", "initialized {0} nmem{1}",
            [Bus, Verbose, new('f', "force", false), new('V', "label-version", true)], Init),
        ["check-labels"] = new("ndctl check-labels <nmem0> [<nmem1>..<nmemN>] [<options>]", "successfully verified {0} nmem label{1}",
            [Bus, Verbose], Check),
        ["enable-dimm"] = new("ndctl enable-dimm <nmem0> [<nmem1>..<nmemN>] [<options>]", "enabled {0} nmem{1}",
            [Bus, Verbose], EnableDimm),
        ["disable-dimm"] = new("ndctl disable-dimm <nmem0> [<nmem1>..<nmemN>] [<options>]", "disabled {0} nmem{1}",
            [Bus, Verbose], DisableDimm),
    };

    /// <summary>The commands this library implements.</summary>
    public static IEnumerable<string> Names => Commands.Keys.Append("list").Concat(NamespaceCommands.Names).Concat(FirmwareServiceCommands.Names);

    /// <summary>Runs "COMMAND [options] nmemN…|all" (the words after "ndctl"); returns the exit status.</summary>
    public static int Run(IReadOnlyList<string> args, IReadOnlyList<NdctlDimm> dimms, NdctlIo io)
    {
        if (args.Count > 0 && args[0] == "list")
        {
            return NdctlList.Run(args.Skip(1).ToList(), dimms, io);
        }
        if (args.Count > 0 && NamespaceCommands.Names.Contains(args[0]))
        {
            return NamespaceCommands.Run(args[0], args.Skip(1).ToList(), dimms, io);
        }
        if (args.Count > 0 && FirmwareServiceCommands.Names.Contains(args[0]))
        {
            if (FirmwareServiceCommands.TryRun(args[0], args.Skip(1).ToList(), io, out int exit))
            {
                return exit;
            }
            io.Error.WriteLine($"ndctl {args[0]}: not available in vnvdimm for these arguments");
            return Failure;
        }
        if (args.Count == 0 || !Commands.TryGetValue(args[0], out Command? command))
        {
            io.Error.WriteLine(args.Count == 0
                ? "\n usage: ndctl [--version] [--help] COMMAND [ARGS]\n"
                : $"ndctl: '{args[0]}' is not an ndctl command. See 'ndctl --help'.");
            return Failure;
        }
        int count = DimmAction(command, args.Skip(1).ToList(), dimms, io);
        if (count == UsageExit + 1000)
        {
            return UsageExit;
        }
        if (count == InvalidNames)
        {
            return Failure;
        }
        io.Error.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, command.Done, Math.Max(count, 0), count > 1 ? "s" : ""));
        io.Error.Flush();
        return count >= 0 ? 0 : Failure;
    }

    /// <summary>
    /// "list [options]" over a live platform's buses, in the order ndctl lists their DIMMs, regions and
    /// namespaces; JSON goes to <paramref name="stdout"/>, errors and usage to <paramref name="stderr"/>.
    /// </summary>
    public static int List(IReadOnlyList<string> args, IReadOnlyList<NdctlListBus> buses, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var list = new NdctlList(buses, stderr);
        int exit = list.Run(args);
        stdout.Write(list.Output);
        return exit;
    }

    /// <summary>ndctl's dimm_action: the count of DIMMs acted on, else the first error (negative errno).</summary>
    private static int DimmAction(Command command, List<string> args, IReadOnlyList<NdctlDimm> dimms, NdctlIo io)
    {
        NdctlOptions? options = NdctlOptions.TryParse(args, command.Options, out string? optionError);
        if (options is null)
        {
            io.Error.WriteLine($"  Error: {optionError}");
            return Usage(command, io);
        }
        if (options.HelpRequested)
        {
            return Usage(command, io);
        }
        List<string> names = options.Arguments;
        if (names.Count == 0)
        {
            return Usage(command, io);
        }
        int invalid = 0;
        foreach (string name in names)
        {
            if (name == "all")
            {
                names = ["all"];
                invalid = 0;
                break;
            }
            if (!IsDimmName(name))
            {
                io.Error.WriteLine($"'{name}' is not a valid dimm name");
                invalid++;
            }
        }
        if (invalid == names.Count)
        {
            // usage_with_options ends ndctl before it reports a count.
            Usage(command, io);
            return InvalidNames;
        }

        bool json = options.Has("json") || options.Has("human");
        if (command.Action == Read && json && (options.Has("size") || options.Has("offset")))
        {
            io.Error.WriteLine("--size and --offset are incompatible with --json");
            return Usage(command, io);
        }
        if (options.Has("index") && options.Has("size"))
        {
            io.Error.WriteLine("pick either --size, or --index, not both");
            return Usage(command, io);
        }
        var context = new Context(options, io) { Json = json ? [] : null };
        Stream? output = null;
        Stream? input = null;
        try
        {
            if (options.Value("output") is string outFile)
            {
                try
                {
                    output = io.Files.Create(outFile);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    io.Error.WriteLine($"failed to open: {outFile}: ({StrError(e)})");
                    return ENxio;
                }
                context.Output = output;
            }
            if (options.Value("input") is string inFile)
            {
                try
                {
                    input = io.Files.OpenRead(inFile);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    io.Error.WriteLine($"failed to open: {inFile}: ({StrError(e)})");
                    return ENxio;
                }
                context.Input = input;
            }
            string version = options.Value("label-version") ?? "1.1";
            context.LabelVersion = version switch { "1.1" or "v1.1" => 1, "1.2" or "v1.2" => 2, _ => 0 };
            if (context.LabelVersion == 0)
            {
                io.Error.WriteLine($"'{version}' is not a valid label version");
                return EInval;
            }

            int count = 0;
            int error = 0;
            var selected = new List<NdctlDimm>();
            foreach (string name in names.Where(n => n == "all" || IsDimmName(n)))
            {
                selected.AddRange(dimms.Where(d => name == "all" || d.Name == name));
            }
            if (command.Action == Write && selected.Count > 1)
            {
                io.Error.WriteLine("Error: write-labels only supports writing a single dimm");
                return Usage(command, io);
            }
            foreach (NdctlDimm dimm in selected)
            {
                int rc = command.Action(dimm, context);
                if (rc == 0)
                {
                    count++;
                }
                else if (error == 0)
                {
                    error = rc;
                }
            }
            if (context.Json is { Count: > 0 } results)
            {
                // ndctl prints a lone result as an object only when stdout is a terminal.
                bool human = context.Output == io.Output && io.OutputIsTerminal;
                object shown = results.Count > 1 || !human ? results : results[0];
                byte[] text = Encoding.UTF8.GetBytes(JsonC.ToPrettyString(shown) + "\n");
                context.Output.Write(text);
                context.Output.Flush();
            }
            return count > 0 ? count : error;
        }
        finally
        {
            output?.Dispose();
            input?.Dispose();
        }
    }

    private static int Usage(Command command, NdctlIo io)
    {
        NdctlUsage.Print(command.Usage, io.Error);
        return UsageExit + 1000;
    }

    /// <summary>strerror's words for a failed open.</summary>
    private static string StrError(Exception e) => e switch
    {
        UnauthorizedAccessException => "Permission denied",
        DirectoryNotFoundException or FileNotFoundException => "No such file or directory",
        _ => e.Message,
    };

    private static bool IsDimmName(string name) =>
        name.StartsWith("nmem", StringComparison.Ordinal) && name.Length > 4 && char.IsAsciiDigit(name[4]);

    private static byte[] ReadAll(ILabelStore store)
    {
        byte[] area = new byte[store.Size];
        store.Read(0, area);
        return area;
    }

    /// <summary>-s/-O as ndctl_dimm_read_label_extent clamps them: length 0 means "to the end".</summary>
    private static bool TryExtent(NdctlDimm dimm, Context context, out int offset, out int length)
    {
        uint wantedOffset = ParseUInt(context.Options.Value("offset"));
        uint wantedLength = ParseUInt(context.Options.Value("size"));
        length = 0;
        offset = 0;
        if (wantedOffset > (uint)dimm.Labels.Size)
        {
            return false;
        }
        offset = (int)wantedOffset;
        length = wantedLength == 0 ? dimm.Labels.Size - offset : (int)Math.Min(wantedLength, (uint)(dimm.Labels.Size - offset));
        return true;
    }

    /// <summary>An OPT_UINTEGER value already checked by option parsing; 0 when absent.</summary>
    private static uint ParseUInt(string? text) => text is not null && NdctlNumbers.TryParseUInteger(text, out uint value) ? value : 0;

    private static int Read(NdctlDimm dimm, Context context)
    {
        ILabelStore store = dimm.Labels;
        if (store.Size == 0)
        {
            // No config size (a DIMM without label commands): nothing to read.
            return EInval;
        }
        if (context.Json is { } json)
        {
            byte[] area = ReadAll(store);
            json.Add(LabelDump.ToJson(dimm.Name, area, context.Options.Has("index"), context.Options.Has("human")));
            return 0;
        }
        int offset;
        int length;
        if (context.Options.Has("index"))
        {
            (offset, length) = (0, Math.Min(store.Size, 2 * LabelDump.IndexSizeForDump(store.Size)));
        }
        else if (!TryExtent(dimm, context, out offset, out length))
        {
            return EInval;
        }
        byte[] buffer = new byte[length];
        store.Read(offset, buffer);
        context.Output.Write(buffer);
        context.Output.Flush();
        return 0;
    }

    /// <summary>
    /// ndctl_dimm_is_active: a region over the DIMM is enabled. Offline there is no kernel; the image's
    /// region counts as active while it holds a labelled namespace, so its labels cannot be lost by a
    /// stray zero-labels or init-labels -f (destroy the namespaces first, as -f would have to on Linux).
    /// </summary>
    private static bool IsRegionActive(NdctlDimm dimm)
    {
        if (dimm.Bindings is { } bindings)
        {
            return bindings.IsRegionEnabled;
        }
        return dimm.IsActive
            || (dimm.Media is not null && RegionScanner.Scan(dimm.RegionId ?? 0, dimm).Namespaces.Any(n => n.IsLabelled && n.Capacity > 0));
    }

    private static int Write(NdctlDimm dimm, Context context)
    {
        if (IsRegionActive(dimm))
        {
            // ndctl 76 writes nothing, yet counts the DIMM and exits 0 (Linux 6.1 capture).
            context.Io.Error.WriteLine("dimm is active, abort label write");
            return 0;
        }
        if (!TryExtent(dimm, context, out int offset, out int length))
        {
            return EInval;
        }
        byte[] buffer = new byte[length];
        int read = 0;
        while (read < length)
        {
            int n = context.Input.Read(buffer, read, length - read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        dimm.Labels.Write(offset, buffer.AsSpan(0, read));
        return 0;
    }

    private static int Zero(NdctlDimm dimm, Context context)
    {
        if (IsRegionActive(dimm))
        {
            context.Io.Error.WriteLine($"{dimm.Name}: regions active, abort label write");
            return EBusy;
        }
        if (!TryExtent(dimm, context, out int offset, out int length))
        {
            return EInval;
        }
        dimm.Labels.Write(offset, new byte[length]);
        return 0;
    }

    private static int Init(NdctlDimm dimm, Context context)
    {
        if (IsRegionActive(dimm))
        {
            context.Io.Error.WriteLine($"{dimm.Name}: regions active, abort label write");
            return EBusy;
        }
        if (Validate(dimm, context) && !context.Options.Has("force"))
        {
            context.Io.Error.WriteLine($"{dimm.Name}: error: labels already initialized");
            return EBusy;
        }
        int labelSize = context.LabelVersion == 2 ? LabelAreaGeometry.LabelSizeV12 : LabelAreaGeometry.LabelSizeV11;
        if (!LabelAreaGeometry.TryCompute(dimm.Labels.Size, labelSize, out LabelAreaGeometry geometry, out string? reason))
        {
            context.Io.Error.WriteLine($"{dimm.Name}: {reason}");
            return ENxio;
        }
        // ndctl rewrites only the two index blocks; the label slots keep whatever they held.
        byte[] index = new byte[geometry.LabelsOffset];
        dimm.Labels.Read(0, index);
        LabelArea.WriteInitialIndex(index, geometry);
        dimm.Labels.Write(0, index);
        return 0;
    }

    private static int EnableDimm(NdctlDimm dimm, Context context)
    {
        dimm.Bindings?.SetDimmEnabled(true);
        return 0;
    }

    private static int DisableDimm(NdctlDimm dimm, Context context)
    {
        if (IsRegionActive(dimm))
        {
            context.Io.Error.WriteLine($"{dimm.Name} is active, skipping...");
            return EBusy;
        }
        dimm.Bindings?.SetDimmEnabled(false);
        return 0;
    }

    private static int Check(NdctlDimm dimm, Context context) => Validate(dimm, context) ? 0 : ENxio;

    private static bool Validate(NdctlDimm dimm, Context context)
    {
        bool valid = LabelArea.TryRead(ReadAll(dimm.Labels), out _, out IReadOnlyList<string> reasons);
        if (context.Options.Has("verbose"))
        {
            foreach (string reason in reasons)
            {
                context.Io.Error.WriteLine($"{dimm.Name}: {reason}");
            }
        }
        return valid;
    }
}
