namespace Vnvdimm.Host.Configuration;

/// <summary>
/// What QEMU 7.2 prints for "-machine help", "-device help", "-device DRIVER,help",
/// "-object help" and "-object TYPE,help", restricted to what vnvdimm supports, in QEMU's
/// formats: the machine list ("%-20s %s"), device lines under QEMU's category headings, and
/// property lines ("  name=&lt;type&gt;" padded to 24 columns, " - description", " (default: …)").
/// </summary>
public static class OptionHelp
{
    private sealed record Property(string Name, string Type, string Description = "", string? Default = null);

    private static readonly Property[] NvdimmProperties =
    [
        new("addr", "uint64", Default: "0"),
        new("label-size", "int"),
        new("memdev", "link<memory-backend>"),
        new("node", "uint32", Default: "0"),
        new("size", "uint64"),
        new("slot", "int32", Default: "-1"),
        new("unarmed", "bool", Default: "false"),
        new("uuid", "QemuUUID"),
    ];

    private static readonly string[] PcDimmPropertyNames = ["addr", "memdev", "node", "size", "slot"];

    // MemoryBackendProperties, then each type's own, sorted by name as QEMU prints them.
    private static readonly Property[] CommonBackendProperties =
    [
        new("dump", "bool", "Set to 'off' to exclude from core dump"),
        new("host-nodes", "int", "Binds memory to the list of NUMA host nodes"),
        new("merge", "bool", "Mark memory as mergeable"),
        new("policy", "HostMemPolicy", "Set the NUMA policy"),
        new("prealloc-context", "link<thread-context>", "Context to use for creating CPU threads for preallocation"),
        new("prealloc-threads", "int", "Number of CPU threads to use for prealloc"),
        new("prealloc", "bool", "Preallocate memory"),
        new("reserve", "bool", "Reserve swap space (or huge pages) if applicable"),
        new("share", "bool", "Mark the memory as private to QEMU or shared"),
        new("size", "int", "Size of the memory region (ex: 500M)"),
        new("x-use-canonical-path-for-ramblock-id", "bool"),
    ];

    private static readonly Dictionary<string, Property[]> BackendOwnProperties = new(StringComparer.Ordinal)
    {
        ["memory-backend-file"] =
        [
            new("align", "int"), new("discard-data", "bool"), new("mem-path", "string"), new("pmem", "bool"), new("readonly", "bool"),
        ],
        ["memory-backend-memfd"] =
        [
            new("hugetlb", "bool", "Use huge pages"), new("hugetlbsize", "int", "Huge pages size (ex: 2M, 1G)"), new("seal", "bool", "Seal growing & shrinking"),
        ],
        ["memory-backend-ram"] = [],
    };

    // The machine class properties QEMU 7.2 lists for pc-i440fx-7.2 and pc-q35-7.2 (identical).
    private static readonly Property[] MachineClassProperties =
    [
        new("acpi", "OnOffAuto", "Enable ACPI"),
        new("append", "string", "Linux kernel command line"),
        new("boot", "BootConfiguration", "Boot configuration"),
        new("bus-lock-ratelimit", "uint64_t", "Set the ratelimit for the bus locks acquired in VMs"),
        new("confidential-guest-support", "link<confidential-guest-support>", "Set confidential guest scheme to support"),
        new("default-bus-bypass-iommu", "bool"),
        new("dt-compatible", "string", "Overrides the \"compatible\" property of the dt root node"),
        new("dtb", "string", "Linux kernel device tree file"),
        new("dump-guest-core", "bool", "Include guest memory in a core dump"),
        new("dumpdtb", "string", "Dump current dtb to a file and quit"),
        new("firmware", "string", "Firmware image"),
        new("graphics", "bool", "Set on/off to enable/disable graphics emulation"),
        new("hpet", "bool", "Enable/disable high precision event timer emulation"),
        new("i8042", "bool"),
        new("initrd", "string", "Linux initial ramdisk file"),
        new("kernel", "string", "Linux kernel image file"),
        new("max-fw-size", "size", "Maximum combined firmware size"),
        new("max-ram-below-4g", "size", "Maximum ram below the 4G boundary (32bit boundary)"),
        new("mem-merge", "bool", "Enable/disable memory merge support"),
        new("memory-backend", "link<memory-backend>", "Set RAM backendValid value is ID of hostmem based backend"),
        new("memory-encryption", "string", "Set memory encryption object to use"),
        new("memory", "MemorySizeConfiguration", "Memory size configuration"),
        new("phandle-start", "int", "The first phandle ID we may generate dynamically"),
        new("pic", "OnOffAuto", "Enable i8259 PIC"),
        new("pit", "OnOffAuto", "Enable i8254 PIT"),
        new("sata", "bool", "Enable/disable Serial ATA bus"),
        new("sgx-epc", "SgxEPC", "SGX EPC device"),
        new("smbios-entry-point-type", "str", "SMBIOS Entry Point type [32, 64]"),
        new("smbus", "bool", "Enable/disable system management bus"),
        new("smm", "OnOffAuto", "Enable SMM"),
        new("smp", "SMPConfiguration", "CPU topology"),
        new("suppress-vmdesc", "bool", "Set on to disable self-describing migration"),
        new("usb", "bool", "Set on/off to enable/disable usb"),
        new("vmport", "OnOffAuto", "Enable vmport (pc & q35)"),
        new("x-oem-id", "string", "Override the default value of field OEMID in ACPI table header.The string may be up to 6 bytes in size"),
        new("x-oem-table-id", "string", "Override the default value of field OEM Table ID in ACPI table header.The string may be up to 8 bytes in size"),
    ];

    /// <summary>QEMU's is_help_option.</summary>
    public static bool IsHelpOption(string? text) => text is "help" or "?";

    /// <summary>"-machine help": the machine types vnvdimm accepts, as QEMU lists them.</summary>
    public static string MachineList() =>
        "Supported machines are:\n"
        + "pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-7.2)\n"
        + "pc-i440fx-7.2        Standard PC (i440FX + PIIX, 1996) (default)\n"
        + "q35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)\n"
        + "pc-q35-7.2           Standard PC (Q35 + ICH9, 2009)\n";

    /// <summary>"-machine TYPE,help": the machine's properties.</summary>
    public static string MachineProperties(MachineKind kind) =>
        PropertyList(kind == MachineKind.Pc ? "pc-i440fx-7.2-machine" : "pc-q35-7.2-machine", MachineClassProperties);

    /// <summary>"-device help": the two devices, each under QEMU's category heading.</summary>
    public static string DeviceList() =>
        "Storage devices:\n"
        + "name \"nvdimm\", desc \"DIMM memory module\"\n"
        + "\n"
        + "Uncategorized devices:\n"
        + "name \"pc-dimm\", desc \"DIMM memory module\"\n";

    /// <summary>"-device DRIVER,help": the properties, or null for a driver vnvdimm does not have.</summary>
    public static string? DeviceProperties(string driver) => driver switch
    {
        "nvdimm" => PropertyList("nvdimm", NvdimmProperties),
        "pc-dimm" => PropertyList("pc-dimm", NvdimmProperties.Where(p => PcDimmPropertyNames.Contains(p.Name))),
        _ => null,
    };

    /// <summary>"-object help": the user-creatable types vnvdimm has.</summary>
    public static string ObjectList() =>
        "List of user creatable objects:\n" + string.Concat(BackendOwnProperties.Keys.Order(StringComparer.Ordinal).Select(t => $"  {t}\n"));

    /// <summary>"-object TYPE,help": the properties, or null for a type vnvdimm does not have.</summary>
    public static string? ObjectProperties(string type) =>
        BackendOwnProperties.TryGetValue(type, out Property[]? own)
            ? PropertyList(type, CommonBackendProperties.Concat(own).OrderBy(p => p.Name, StringComparer.Ordinal))
            : null;

    // QEMU sorts by the whole "name=<type>" text, so "prealloc-context" comes before "prealloc".
    private static string PropertyList(string typeName, IEnumerable<Property> properties)
    {
        var text = new System.Text.StringBuilder($"{typeName} options:\n");
        foreach (Property property in properties.OrderBy(p => $"{p.Name}=<{p.Type}>", StringComparer.Ordinal))
        {
            string head = $"  {property.Name}=<{property.Type}>";
            string defaultText = property.Default is null ? string.Empty : $" (default: {property.Default})";
            if (property.Description.Length == 0 && defaultText.Length == 0)
            {
                text.Append(head).Append('\n');
            }
            else
            {
                text.Append(head.PadRight(24)).Append(" - ").Append(property.Description).Append(defaultText).Append('\n');
            }
        }
        return text.ToString();
    }
}

/// <summary>
/// A help option ("-machine help", "-device nvdimm,help", …): QEMU prints it and exits with
/// status 0 at the point of its option loop where it is met, so this ends the parse.
/// <see cref="Stdout"/> is the text to print; <see cref="Error"/> a message QEMU prints on stderr
/// instead (it still exits 0, e.g. "Device 'foo' not found" for "-device foo,help").
/// </summary>
public sealed class HelpRequestedException(HelpTopic topic, string stdout = "", QemuOptionException? error = null)
    : Exception($"help requested: {topic}")
{
    public HelpTopic Topic { get; } = topic;

    public string Stdout { get; } = stdout;

    public QemuOptionException? Error { get; } = error;
}

/// <summary>Which help: the program's usage and version texts are the program's; the rest is QEMU's.</summary>
public enum HelpTopic
{
    Usage,
    Version,
    Options,
}
