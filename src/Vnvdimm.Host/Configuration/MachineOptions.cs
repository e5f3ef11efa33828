namespace Vnvdimm.Host.Configuration;

/// <summary>The x86 board families vnvdimm models.</summary>
public enum MachineKind
{
    /// <summary>i440FX + PIIX ("pc", "pc-i440fx-7.2").</summary>
    Pc,
    /// <summary>Q35 + ICH9 ("q35", "pc-q35-7.2").</summary>
    Q35,
}

/// <summary>-machine / -M: the board and its properties, merged over every -machine option as QEMU merges them.</summary>
public sealed record MachineOptions
{
    public MachineKind Kind { get; init; } = MachineKind.Pc;
    public bool Nvdimm { get; init; }
    public NvdimmPersistenceOption NvdimmPersistence { get; init; }
    public string OemId { get; init; } = "BOCHS ";
    public string OemTableId { get; init; } = "BXPC    ";
    /// <summary>max-ram-below-4g, or null for the board default.</summary>
    public ulong? MaxRamBelow4G { get; init; }

    /// <summary>The QOM type name QEMU uses in property errors ("pc-i440fx-7.2-machine").</summary>
    public string QomTypeName => Kind == MachineKind.Pc ? "pc-i440fx-7.2-machine" : "pc-q35-7.2-machine";

    // Properties QEMU's pc machines have that change nothing here but must be accepted.
    private static readonly HashSet<string> AcceptedProperties = new(StringComparer.Ordinal)
    {
        "accel", "kernel-irqchip", "dump-guest-core", "mem-merge", "usb", "graphics", "suppress-vmdesc",
        "smm", "vmport", "hpet", "smbus", "sata", "pit", "acpi", "sgx-epc", "memory-backend",
        "kvm-shadow-mem", "dt-compatible", "firmware", "pflash0", "pflash1", "i8042", "default-bus-bypass-iommu",
        "confidential-guest-support", "memory-encryption", "hmat", "phandle-start", "dumpdtb", "dtb",
        "append", "kernel", "initrd", "boot", "smp",
    };

    private static readonly Dictionary<string, MachineKind> TypeNames = new(StringComparer.Ordinal)
    {
        ["pc"] = MachineKind.Pc, ["pc-i440fx-7.2"] = MachineKind.Pc,
        ["q35"] = MachineKind.Q35, ["pc-q35-7.2"] = MachineKind.Q35,
    };

    /// <summary>Parses the keyval text of each -machine option, in order; later keys override earlier ones.</summary>
    public static MachineOptions Parse(IEnumerable<VmOption> machineOptions)
    {
        var merged = new List<KeyValuePair<string, string>>();
        foreach (VmOption option in machineOptions)
        {
            QemuOpts opts;
            try
            {
                opts = QemuOpts.Parse(option.Argument, "type", QemuOpts.ParseMode.KeyVal);
            }
            catch (QemuOptionException e)
            {
                throw e.WithLocation(option.Location);
            }
            foreach (string key in opts.Keys)
            {
                merged.RemoveAll(p => p.Key == key);
                merged.Add(new(key, opts.Get(key)!));
            }
        }

        var result = new MachineOptions();
        string? type = merged.FirstOrDefault(p => p.Key == "type").Value;
        if (type is not null)
        {
            if (!TypeNames.TryGetValue(type, out MachineKind kind))
            {
                throw new QemuOptionException("unsupported machine type\nUse -machine help to list supported machines");
            }
            result = result with { Kind = kind };
        }

        foreach ((string key, string value) in merged)
        {
            result = key switch
            {
                "type" => result,
                "nvdimm" => result with { Nvdimm = QemuValue.ParseBool(key, value) },
                "nvdimm-persistence" => result with
                {
                    NvdimmPersistence = value switch
                    {
                        "cpu" => NvdimmPersistenceOption.Cpu,
                        "mem-ctrl" => NvdimmPersistenceOption.MemCtrl,
                        _ => throw new QemuOptionException($"-machine nvdimm-persistence={value}: unsupported option"),
                    },
                },
                "x-oem-id" => value.Length > 6
                    ? throw new QemuOptionException("User specified x-oem-id value is bigger than 6 bytes in size")
                    : result with { OemId = value },
                "x-oem-table-id" => value.Length > 8
                    ? throw new QemuOptionException("User specified x-oem-table-id value is bigger than 8 bytes in size")
                    : result with { OemTableId = value },
                "max-ram-below-4g" => result with { MaxRamBelow4G = QemuValue.ParseSize(key, value) },
                _ when AcceptedProperties.Contains(key) => result,
                _ => throw new QemuOptionException($"Property '{result.QomTypeName}.{key}' not found"),
            };
        }
        return result;
    }
}
