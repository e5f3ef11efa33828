using NvdimmPersistence = Vnvdimm.Host.Acpi.NvdimmPersistence;

namespace Vnvdimm.Host.Configuration;

/// <summary>
/// -machine / -M: the board and its properties. QEMU 7.2 parses every -machine (and -m) into one
/// keyval dict, picks the type, then sets the properties in QDict order; this type does the same.
/// </summary>
public sealed record MachineOptions
{
    public MachineKind Kind { get; init; } = MachineKind.Pc;
    public bool Nvdimm { get; init; }
    public NvdimmPersistence NvdimmPersistence { get; init; }
    public string OemId { get; init; } = "BOCHS ";
    public string OemTableId { get; init; } = "BXPC    ";
    /// <summary>max-ram-below-4g, or null for the board default (0 also means the default).</summary>
    public ulong? MaxRamBelow4G { get; init; }
    /// <summary>acpi=on|off|auto; off refuses memory devices.</summary>
    public bool Acpi { get; init; } = true;
    /// <summary>mem-merge: the default of every backend's merge.</summary>
    public bool MemMerge { get; init; } = true;
    /// <summary>dump-guest-core: the default of every backend's dump.</summary>
    public bool DumpGuestCore { get; init; } = true;
    /// <summary>hmat=on allows the HMAT-specific -numa options.</summary>
    public bool Hmat { get; init; }
    /// <summary>-machine accel=A[:B...], or null for the default (tcg).</summary>
    public string? Accelerators { get; init; }
    /// <summary>-machine memory-backend=ID: the backend that holds guest RAM instead of pc.ram.</summary>
    public string? MemoryBackend { get; init; }
    /// <summary>-smp (the machine's "smp" property).</summary>
    public SmpOptions Smp { get; init; } = SmpOptions.Default;
    /// <summary>-m (the machine's "memory" property), checked as machine_set_mem does.</summary>
    public MemoryOptions Memory { get; init; } = MemoryOptions.Default;

    /// <summary>The QOM type name QEMU uses in property errors ("pc-i440fx-7.2-machine").</summary>
    public string QomTypeName => Kind == MachineKind.Pc ? "pc-i440fx-7.2-machine" : "pc-q35-7.2-machine";

    private enum PropertyType { Bool, OnOffAuto, Size, UInt64, Int64, String, Struct, Array, Legacy }

    private static readonly Dictionary<string, PropertyType> Properties = new(StringComparer.Ordinal)
    {
        ["nvdimm"] = PropertyType.Bool, ["hmat"] = PropertyType.Bool, ["dump-guest-core"] = PropertyType.Bool,
        ["mem-merge"] = PropertyType.Bool, ["usb"] = PropertyType.Bool, ["graphics"] = PropertyType.Bool,
        ["suppress-vmdesc"] = PropertyType.Bool, ["hpet"] = PropertyType.Bool, ["smbus"] = PropertyType.Bool,
        ["sata"] = PropertyType.Bool, ["i8042"] = PropertyType.Bool, ["default-bus-bypass-iommu"] = PropertyType.Bool,
        ["acpi"] = PropertyType.OnOffAuto, ["smm"] = PropertyType.OnOffAuto, ["vmport"] = PropertyType.OnOffAuto,
        ["pic"] = PropertyType.OnOffAuto, ["pit"] = PropertyType.OnOffAuto,
        ["max-ram-below-4g"] = PropertyType.Size, ["max-fw-size"] = PropertyType.Size,
        ["bus-lock-ratelimit"] = PropertyType.UInt64, ["phandle-start"] = PropertyType.Int64,
        ["append"] = PropertyType.String, ["dt-compatible"] = PropertyType.String, ["dtb"] = PropertyType.String,
        ["dumpdtb"] = PropertyType.String, ["firmware"] = PropertyType.String, ["initrd"] = PropertyType.String,
        ["kernel"] = PropertyType.String, ["x-oem-id"] = PropertyType.String, ["x-oem-table-id"] = PropertyType.String,
        ["nvdimm-persistence"] = PropertyType.String, ["memory-encryption"] = PropertyType.String,
        ["confidential-guest-support"] = PropertyType.String, ["smbios-entry-point-type"] = PropertyType.String,
        ["pflash0"] = PropertyType.String, ["pflash1"] = PropertyType.String,
        ["memory"] = PropertyType.Struct, ["smp"] = PropertyType.Struct, ["boot"] = PropertyType.Struct,
        ["sgx-epc"] = PropertyType.Array,
    };

    private static readonly Dictionary<string, MachineKind> TypeNames = new(StringComparer.Ordinal)
    {
        ["pc"] = MachineKind.Pc, ["pc-i440fx-7.2"] = MachineKind.Pc,
        ["q35"] = MachineKind.Q35, ["pc-q35-7.2"] = MachineKind.Q35,
    };

    /// <summary>find_machine: a machine type name vnvdimm accepts.</summary>
    internal static bool TryFindType(string? name, out MachineKind kind)
    {
        kind = MachineKind.Pc;
        return name is not null && TypeNames.TryGetValue(name, out kind);
    }

    /// <summary>select_machine: the "type" key (default pc), removed from the dict.</summary>
    internal static MachineKind SelectType(QemuDict dict)
    {
        object? type = dict.Get("type");
        if (type is null)
        {
            return MachineKind.Pc;
        }
        dict.Remove("type");
        if (type is not string name || !TypeNames.TryGetValue(name, out MachineKind kind))
        {
            throw new QemuOptionException("unsupported machine type\nUse -machine help to list supported machines");
        }
        return kind;
    }

    /// <summary>
    /// qemu_apply_legacy_machine_options + qemu_apply_machine_options: dashes for underscores,
    /// legacy keys taken out, then every property set in QDict order; the first bad one fails.
    /// Errors carry no location, as in QEMU.
    /// </summary>
    internal static MachineOptions Apply(MachineKind kind, QemuDict dict, Action<string> warn)
    {
        Dashify(dict);
        var result = new MachineOptions { Kind = kind };
        if (dict.Get("accel") is string accel)
        {
            // Checked by configure_accelerators, after the properties.
            dict.Remove("accel");
            result = result with { Accelerators = accel };
        }
        dict.Remove("kernel-irqchip");
        dict.Remove("kvm-shadow-mem");
        dict.Remove("igd-passthru");
        if (dict.Get("memory-backend") is string memoryBackend)
        {
            dict.Remove("memory-backend");
            result = result with { MemoryBackend = memoryBackend };
        }
        bool customRamSize = dict.Get("memory") is QemuDict memoryDict && memoryDict.Get("size") is not null;
        if (dict.Get("memory") is string)
        {
            throw new QemuOptionException("Parameter 'memory' used inconsistently");
        }

        foreach ((string key, object value) in dict.Entries)
        {
            if (!Properties.TryGetValue(key, out PropertyType type))
            {
                throw new QemuOptionException($"Property '{result.QomTypeName}.{key}' not found");
            }
            if (type == PropertyType.Struct)
            {
                if (value is not QemuDict structValue)
                {
                    throw new QemuOptionException($"Invalid parameter type for '{key}', expected: object");
                }
                result = key switch
                {
                    "memory" => result with { Memory = MemoryOptions.FromProperty(structValue, warn) with { HasCustomSize = customRamSize } },
                    "smp" => result with { Smp = SmpOptions.FromProperty(structValue, kind, warn) },
                    _ => result,
                };
                continue;
            }
            if (type == PropertyType.Array)
            {
                throw new QemuOptionException($"Invalid parameter type for '{key}', expected: array");
            }
            if (value is not string text)
            {
                throw new QemuOptionException($"Parameters '{key}.*' are unexpected");
            }
            result = result.Set(key, type, text, warn);
        }
        return result;
    }

    private MachineOptions Set(string key, PropertyType type, string value, Action<string> warn)
    {
        switch (type)
        {
            case PropertyType.Bool:
                bool flag = QemuValue.ParseBool(key, value);
                return key switch
                {
                    "nvdimm" => this with { Nvdimm = flag },
                    "hmat" => this with { Hmat = flag },
                    "mem-merge" => this with { MemMerge = flag },
                    "dump-guest-core" => this with { DumpGuestCore = flag },
                    _ => this,
                };
            case PropertyType.OnOffAuto:
                if (value is not ("on" or "off" or "auto"))
                {
                    throw new QemuOptionException($"Parameter '{key}' does not accept value '{value}'");
                }
                return key == "acpi" ? this with { Acpi = value != "off" } : this;
            case PropertyType.Size:
                if (QemuValue.StrToSz(value, 'B', out ulong size, warn) != QemuValue.Status.Ok)
                {
                    throw new QemuOptionException($"Parameter '{key}' expects size");
                }
                return key == "max-ram-below-4g" ? SetMaxRamBelow4G(size, warn) : this;
            case PropertyType.UInt64:
                return QemuValue.StrToU64Full(value, 0, out _) == QemuValue.Status.Ok
                    ? this
                    : throw new QemuOptionException($"Parameter '{key}' expects integer");
            case PropertyType.Int64:
                return QemuValue.StrToI64Full(value, 0, out _) == QemuValue.Status.Ok
                    ? this
                    : throw new QemuOptionException($"Parameter '{key}' expects integer");
            default:
                return SetString(key, value);
        }
    }

    private MachineOptions SetMaxRamBelow4G(ulong value, Action<string> warn)
    {
        if (value > 4UL << 30)
        {
            throw new QemuOptionException($"Machine option 'max-ram-below-4g={value}' expects size less than or equal to 4G");
        }
        if (value < 1UL << 20)
        {
            warn($"warning: Only {value} bytes of RAM below the 4GiB boundary,BIOS may not work with less than 1MiB");
        }
        return this with { MaxRamBelow4G = value };
    }

    private MachineOptions SetString(string key, string value) => key switch
    {
        "nvdimm-persistence" => this with
        {
            NvdimmPersistence = value switch
            {
                "cpu" => NvdimmPersistence.Cpu,
                "mem-ctrl" => NvdimmPersistence.MemCtrl,
                _ => throw new QemuOptionException($"-machine nvdimm-persistence={value}: unsupported option"),
            },
        },
        // The limits are in bytes (strlen).
        "x-oem-id" => System.Text.Encoding.UTF8.GetByteCount(value) > 6
            ? throw new QemuOptionException("User specified x-oem-id value is bigger than 6 bytes in size")
            : this with { OemId = value },
        "x-oem-table-id" => System.Text.Encoding.UTF8.GetByteCount(value) > 8
            ? throw new QemuOptionException("User specified x-oem-table-id value is bigger than 8 bytes in size")
            : this with { OemTableId = value },
        "smbios-entry-point-type" => value is "32" or "64"
            ? this
            : throw new QemuOptionException($"Parameter '{key}' does not accept value '{value}'"),
        // Links to objects vnvdimm never has.
        "memory-encryption" => throw new QemuOptionException($"No such memory encryption object '{value}'"),
        "confidential-guest-support" => throw new QemuOptionException($"Device '{value}' not found"),
        "pflash0" or "pflash1" => throw new QemuOptionException($"Property 'cfi.pflash01.drive' can't find value '{value}'"),
        _ => this,
    };

    // keyval_dashify: "max_ram_below_4g" is "max-ram-below-4g"; both at once is an error.
    private static void Dashify(QemuDict dict)
    {
        foreach ((string key, object value) in dict.Entries)
        {
            if (!key.Contains('_'))
            {
                continue;
            }
            string dashed = key.Replace('_', '-');
            if (dict.Get(dashed) is not null)
            {
                throw new QemuOptionException($"Conflict between '{key}' and '{dashed}'");
            }
            dict.Remove(key);
            dict.Put(dashed, value);
        }
    }
}
