namespace Vnvdimm.Host.Configuration;

/// <summary>
/// -cpu MODEL[,feature...]: only what bounds the guest-physical address space matters here
/// (phys-bits, long mode, vendor), but every feature is checked where QEMU 7.2 checks it:
/// the model when -cpu is parsed (<see cref="Parse"/>), "key=value" features as global
/// properties and "+flag"/"-flag" at CPU creation during board init (<see cref="Realize"/>).
/// </summary>
public sealed record CpuOptions(string Model, uint PhysBits, bool IsAmd)
{
    /// <summary>QEMU's TCG default for phys-bits.</summary>
    public const uint DefaultPhysBits = 40;

    /// <summary>TARGET_PHYS_ADDR_SPACE_BITS on x86_64.</summary>
    public const uint MaxPhysBits = 52;

    public static CpuOptions Default { get; } = new("qemu64", DefaultPhysBits, true);

    /// <summary>"key=value" features in command-line order (QEMU registers them as globals).</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Globals { get; init; } = [];

    /// <summary>True until <see cref="Realize"/> has applied the features (only for parsed -cpu options).</summary>
    internal bool NeedsRealize { get; init; }

    /// <summary>"+flag" features, in order.</summary>
    internal IReadOnlyList<string> PlusFeatures { get; init; } = [];

    /// <summary>"-flag" features, in order.</summary>
    internal IReadOnlyList<string> MinusFeatures { get; init; } = [];

    /// <summary>The QOM type QEMU names in property errors.</summary>
    private string TypeName => $"{Model}-x86_64-cpu";

    /// <summary>parse_cpu_option: the model must exist; features are only split here.</summary>
    public static CpuOptions Parse(string? option, Action<string>? warn = null)
    {
        if (option is null)
        {
            return Default;
        }
        // g_strsplit(option, ",", 2): an empty option has no model at all.
        if (option.Length == 0)
        {
            throw new QemuOptionException("-cpu option cannot be empty");
        }
        int comma = option.IndexOf(',');
        string model = comma < 0 ? option : option[..comma];
        if (model != "host" && !CpuModelTable.Models.Contains(model))
        {
            throw new QemuOptionException($"unable to find CPU model '{model}'");
        }
        var globals = new List<KeyValuePair<string, string>>();
        var plus = new List<string>();
        var minus = new List<string>();
        bool ambiguous = false;
        // x86_cpu_parse_featurestr: strtok on ',' (empty pieces vanish).
        foreach (string feature in comma < 0 ? [] : option[(comma + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (feature[0] == '+')
            {
                plus.Add(feature[1..]);
                continue;
            }
            if (feature[0] == '-')
            {
                minus.Add(feature[1..]);
                continue;
            }
            int eq = feature.IndexOf('=');
            string name = (eq < 0 ? feature : feature[..eq]).Replace('_', '-');
            string value = eq < 0 ? "on" : feature[(eq + 1)..];
            if (plus.Contains(name))
            {
                warn?.Invoke($"warning: Ambiguous CPU model string. Don't mix both \"+{name}\" and \"{name}={value}\"");
                ambiguous = true;
            }
            if (minus.Contains(name))
            {
                warn?.Invoke($"warning: Ambiguous CPU model string. Don't mix both \"-{name}\" and \"{name}={value}\"");
                ambiguous = true;
            }
            if (name == "tsc-freq")
            {
                if (QemuValue.StrToSz(value, 'B', out ulong hz) != QemuValue.Status.Ok || hz > long.MaxValue)
                {
                    throw new QemuOptionException($"bad numerical value {value}");
                }
                name = "tsc-frequency";
                value = hz.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            globals.Add(new(name, value));
        }
        if (ambiguous)
        {
            warn?.Invoke("warning: Compatibility of ambiguous CPU model strings won't be kept on future QEMU versions");
        }
        return new CpuOptions(model, DefaultPhysBits, CpuModelTable.Amd.Contains(model))
        {
            Globals = globals,
            PlusFeatures = plus,
            MinusFeatures = minus,
            NeedsRealize = true,
        };
    }

    /// <summary>
    /// Creating and realizing the first CPU (x86_cpus_init, in board init): globals in order, then
    /// +/- flags, then the phys-bits rules of x86_cpu_realizefn. Returns the effective options.
    /// </summary>
    public CpuOptions Realize()
    {
        if (!NeedsRealize)
        {
            return this;
        }
        uint physBits = 0;
        string vendor = IsAmd ? "AuthenticAMD" : "GenuineIntel";
        bool longMode = !CpuModelTable.Bits36.Contains(Model) && !CpuModelTable.Bits32.Contains(Model);
        bool pae = !CpuModelTable.Bits32.Contains(Model);
        bool pse36 = false;
        foreach ((string name, string value) in Globals)
        {
            string prefix = $"can't apply global {TypeName}.{name}={value}: ";
            switch (name)
            {
                case "phys-bits":
                    physBits = ParseUInt32(name, value, prefix);
                    break;
                case "vendor":
                    if (value.Length != 12)
                    {
                        // x86_cpuid_set_vendor names no type in this message.
                        throw new QemuOptionException($"{prefix}Property '.vendor' doesn't take value '{value}'");
                    }
                    vendor = value;
                    break;
                case "model-id":
                    break;
                case "family" or "model" or "stepping" or "tsc-frequency":
                    if (QemuValue.StrToI64Full(value, 0, out _) != QemuValue.Status.Ok)
                    {
                        throw new QemuOptionException($"{prefix}Parameter '{name}' expects int64");
                    }
                    break;
                case "host-phys-bits" or "check" or "enforce" or "pmu" or "migratable":
                    ParseBool(name, value, prefix);
                    break;
                default:
                    if (!CpuModelTable.Flags.Contains(name))
                    {
                        throw new QemuOptionException($"{prefix}Property '{TypeName}.{name}' not found");
                    }
                    bool on = ParseBool(name, value, prefix);
                    (longMode, pae, pse36) = SetFlag(name, on, longMode, pae, pse36);
                    break;
            }
        }
        foreach ((IReadOnlyList<string> list, bool on) in new[] { (PlusFeatures, true), (MinusFeatures, false) })
        {
            foreach (string name in list)
            {
                string property = name.Replace('_', '-');
                if (property == "phys-bits")
                {
                    throw new QemuOptionException("Parameter 'phys-bits' expects uint64");
                }
                if (!CpuModelTable.Flags.Contains(property))
                {
                    throw new QemuOptionException($"Property '{TypeName}.{name}' not found");
                }
                (longMode, pae, pse36) = SetFlag(property, on, longMode, pae, pse36);
            }
        }
        if (Model == "host")
        {
            throw new QemuOptionException("CPU model 'host' requires KVM or HVF");
        }
        if (longMode)
        {
            if (physBits != 0 && (physBits > MaxPhysBits || physBits < 32))
            {
                throw new QemuOptionException($"phys-bits should be between 32 and {MaxPhysBits}  (but is {physBits})");
            }
            if (physBits == 0)
            {
                physBits = DefaultPhysBits;
            }
        }
        else
        {
            if (physBits != 0)
            {
                throw new QemuOptionException("phys-bits is not user-configurable in 32 bit");
            }
            physBits = pae || pse36 ? 36u : 32u;
        }
        return this with { PhysBits = physBits, IsAmd = vendor == "AuthenticAMD", NeedsRealize = false };
    }

    private static (bool LongMode, bool Pae, bool Pse36) SetFlag(string name, bool on, bool longMode, bool pae, bool pse36) => name switch
    {
        "lm" => (on, pae, pse36),
        "pae" => (longMode, on, pse36),
        "pse36" => (longMode, pae, on),
        _ => (longMode, pae, pse36),
    };

    // The string input visitor behind object_property_parse.
    private static uint ParseUInt32(string name, string value, string prefix)
    {
        if (QemuValue.StrToU64Full(value, 0, out ulong number) != QemuValue.Status.Ok)
        {
            throw new QemuOptionException($"{prefix}Parameter '{name}' expects uint64");
        }
        if (number > uint.MaxValue)
        {
            throw new QemuOptionException($"{prefix}Parameter '{name}' expects uint32_t");
        }
        return (uint)number;
    }

    private static bool ParseBool(string name, string value, string prefix) =>
        QemuValue.TryParseBool(value, out bool on) ? on : throw new QemuOptionException($"{prefix}Parameter '{name}' expects 'on' or 'off'");
}
