using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Configuration;

/// <summary>
/// The whole command line after QEMU 7.2's option loop (qemu_init up to the machine's
/// properties): every option is syntax-checked in argument order, -object members are read,
/// then the machine type is selected and its properties (including -m) are set. Backends are
/// created and everything else is checked when the machine is built.
/// </summary>
public sealed class VmConfiguration
{
    public required IReadOnlyList<VmOption> Options { get; init; }
    public required MachineOptions Machine { get; init; }
    public MemoryOptions Memory => Machine.Memory;
    /// <summary>-object options with their parsed (not yet allocated) backends, in order; Opts is null for JSON.</summary>
    public required IReadOnlyList<(VmOption Option, QemuOpts? Opts, MemoryBackend Backend)> Objects { get; init; }
    /// <summary>The key=value -device options, in order.</summary>
    public required IReadOnlyList<(VmOption Option, QemuOpts Opts)> Devices { get; init; }
    /// <summary>The JSON -device options, in order; QEMU creates them after all the key=value ones.</summary>
    public IReadOnlyList<(VmOption Option, QemuJsonObject Json)> JsonDevices { get; init; } = [];
    /// <summary>The last -cpu argument, or null.</summary>
    public required string? Cpu { get; init; }
    public required IReadOnlyList<(VmOption Option, QemuOpts Opts)> Numa { get; init; }
    public required int SmpCpus { get; init; }
    public required int MaxCpus { get; init; }
    /// <summary>The last -monitor argument ("stdio", "none", "unix:PATH,server=on,wait=off"), or null.</summary>
    public required string? Monitor { get; init; }
    public required IReadOnlyList<string> Qmp { get; init; }
    public required string? Serial { get; init; }
    /// <summary>The last -accel option: its accelerator name and the option text.</summary>
    public (string Name, string Location)? Accelerator { get; init; }

    public static VmConfiguration Parse(IReadOnlyList<string> args, Action<string> warn, StderrSink? stderr = null)
    {
        IReadOnlyList<VmOption> options = VmCommandLine.Split(args);
        var objects = new List<(VmOption, QemuOpts?, MemoryBackend)>();
        var devices = new List<(VmOption, QemuOpts)>();
        var jsonDevices = new List<(VmOption, QemuJsonObject)>();
        var numa = new List<(VmOption, QemuOpts)>();
        var machineDict = new QemuDict();
        var memoryOpts = new List<KeyValuePair<string, string>>();
        var qmp = new List<string>();
        string? cpu = null, monitor = null, serial = null;
        (string, string)? accelerator = null;

        foreach (VmOption option in options)
        {
            Action<string> located = w => warn($"{option.Location}: {w}");
            try
            {
                switch (option.Name)
                {
                    case "-h" or "-help":
                        throw new HelpRequestedException(HelpTopic.Usage);
                    case "-version":
                        throw new HelpRequestedException(HelpTopic.Version);
                    case "-object" when IsJson(option.Argument):
                        // object_option_parse: JSON goes through the QObject input visitor; no help.
                        objects.Add((option, null, MemoryBackend.Create(ParseJsonObject(option.Argument), stderr)));
                        break;
                    case "-device" when IsJson(option.Argument):
                        jsonDevices.Add((option, ParseJsonObject(option.Argument)));
                        break;
                    case "-object":
                        QemuOpts objectOpts = QemuOpts.Parse(option.Argument, "qom-type", QemuOpts.ParseMode.QemuOpts, located);
                        CheckId(objectOpts, objects.Select(o => o.Item2).OfType<QemuOpts>(), "object");
                        ObjectHelp(objectOpts);
                        MemoryBackend backend = MemoryBackend.Create(objectOpts.Get("qom-type") ?? string.Empty, objectOpts, stderr);
                        objects.Add((option, objectOpts, backend));
                        break;
                    case "-device":
                        QemuOpts deviceOpts = QemuOpts.Parse(option.Argument, "driver", QemuOpts.ParseMode.QemuOpts, located);
                        CheckId(deviceOpts, devices.Select(d => d.Item2), "device");
                        devices.Add((option, deviceOpts));
                        break;
                    case "-machine":
                        Keyval.ParseInto(machineDict, option.Argument, "type", out bool machineHelp);
                        if (machineHelp)
                        {
                            // machine_help_func: the properties of a known type given so far, else the list.
                            bool known = MachineOptions.TryFindType(machineDict.Get("type") as string, out MachineKind helpKind);
                            throw new HelpRequestedException(HelpTopic.Options, known ? OptionHelp.MachineProperties(helpKind) : OptionHelp.MachineList());
                        }
                        break;
                    case "-m":
                        QemuDict memory = MemoryOptions.ParseOption(option.Argument, memoryOpts, located);
                        var wrapper = new QemuDict();
                        wrapper.Put("memory", memory);
                        machineDict.Merge(wrapper);
                        break;
                    case "-numa":
                        QemuOpts numaOpts = QemuOpts.Parse(option.Argument, "type", QemuOpts.ParseMode.QemuOpts, located);
                        CheckId(numaOpts, numa.Select(n => n.Item2), "numa");
                        numa.Add((option, numaOpts));
                        break;
                    case "-cpu":
                        cpu = option.Argument;
                        break;
                    case "-smp":
                        // machine_parse_property_opt: keyval, merged into the machine's "smp".
                        var smpDict = new QemuDict();
                        Keyval.ParseInto(smpDict, option.Argument, "cpus");
                        var smpWrapper = new QemuDict();
                        smpWrapper.Put("smp", smpDict);
                        machineDict.Merge(smpWrapper);
                        break;
                    case "-monitor":
                        // vl.c: "none" (any argument starting so) is no monitor, not a chardev.
                        if (!option.Argument.StartsWith("none", StringComparison.Ordinal))
                        {
                            ChardevCompat.Validate(option.Argument, located);
                        }
                        monitor = option.Argument;
                        break;
                    case "-qmp":
                        ChardevCompat.Validate(option.Argument, located);
                        qmp.Add(option.Argument);
                        break;
                    case "-serial":
                        serial = option.Argument;
                        break;
                    case "-accel":
                        QemuOpts accelOpts = QemuOpts.Parse(option.Argument, "accel", QemuOpts.ParseMode.QemuOpts, located);
                        accelerator = (accelOpts.Get("accel") ?? string.Empty, option.Location);
                        break;
                }
            }
            catch (QemuOptionException e)
            {
                throw e.WithLocation(option.Location);
            }
        }

        // qemu_process_help_options: -device help before the machine is selected.
        DeviceHelp(devices);

        // qemu_create_machine, then qemu_apply_machine_options: no location from here on.
        MachineKind kind = MachineOptions.SelectType(machineDict);
        CheckDiskImages(options);
        MachineOptions machine = MachineOptions.Apply(kind, machineDict, warn);
        return new VmConfiguration
        {
            Options = options,
            Machine = machine,
            Objects = objects,
            Devices = devices,
            JsonDevices = jsonDevices,
            Cpu = cpu,
            Numa = numa,
            SmpCpus = (int)machine.Smp.Cpus,
            MaxCpus = (int)machine.Smp.MaxCpus,
            Monitor = monitor,
            Qmp = qmp,
            Serial = serial,
            Accelerator = accelerator,
        };
    }

    // QEMU 7.2 takes an -object or -device argument as JSON when it starts with '{'.
    private static bool IsJson(string argument) => argument.StartsWith('{');

    // A value starting with '{' that parses is always an object.
    private static QemuJsonObject ParseJsonObject(string argument) => (QemuJsonObject)OptionJson.Parse(argument)!;

    // user_creatable_print_help: "-object help" lists the types; "-object TYPE,help" a known
    // type's properties (an unknown type goes on to the usual error).
    private static void ObjectHelp(QemuOpts opts)
    {
        string? type = LastValue(opts, "qom-type");
        if (OptionHelp.IsHelpOption(type))
        {
            throw new HelpRequestedException(HelpTopic.Options, OptionHelp.ObjectList());
        }
        if (type is not null && HasHelpElement(opts) && OptionHelp.ObjectProperties(type) is { } properties)
        {
            throw new HelpRequestedException(HelpTopic.Options, properties);
        }
    }

    // device_help_func over the -device options in order: the first that asks for help wins;
    // an unknown driver is reported with its location, and QEMU still exits 0.
    private static void DeviceHelp(IEnumerable<(VmOption Option, QemuOpts Opts)> devices)
    {
        foreach ((VmOption option, QemuOpts opts) in devices)
        {
            string? driver = LastValue(opts, "driver");
            if (OptionHelp.IsHelpOption(driver))
            {
                throw new HelpRequestedException(HelpTopic.Options, OptionHelp.DeviceList());
            }
            if (driver is not null && HasHelpElement(opts))
            {
                throw OptionHelp.DeviceProperties(driver) is { } properties
                    ? new HelpRequestedException(HelpTopic.Options, properties)
                    : new HelpRequestedException(HelpTopic.Options, error: new QemuOptionException($"Device '{driver}' not found", option.Location));
            }
        }
    }

    private static string? LastValue(QemuOpts opts, string key) => opts.Elements.LastOrDefault(e => e.Key == key).Value;

    // qemu_opt_has_help_opt: an option named "help" or "?", whatever its value.
    private static bool HasHelpElement(QemuOpts opts) => opts.Elements.Any(e => OptionHelp.IsHelpOption(e.Key));

    // qemu_opts_create: ids must be well formed and unique within their option group.
    private static void CheckId(QemuOpts opts, IEnumerable<QemuOpts> earlier, string group)
    {
        string? id = opts.Id;
        if (id is null)
        {
            return;
        }
        if (!MemoryBackend.IsWellFormedId(id))
        {
            throw new QemuOptionException("Parameter 'id' expects an identifier\nIdentifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
        }
        if (earlier.Any(o => o.Id == id))
        {
            throw new QemuOptionException($"Duplicate ID '{id}' for {group}");
        }
    }

    // A bare argument is "-hda FILE"; configure_blockdev opens it once the machine type is known.
    private static void CheckDiskImages(IEnumerable<VmOption> options)
    {
        foreach (VmOption option in options.Where(o => o.Name == VmCommandLine.DiskImage))
        {
            if (!File.Exists(option.WrittenName) && !Directory.Exists(option.WrittenName))
            {
                throw new QemuOptionException($"Could not open '{option.WrittenName}': No such file or directory", option.Location);
            }
            throw new QemuOptionException("disk images are not supported by vnvdimm", option.Location);
        }
    }
}
