namespace Vnvdimm.Host.Configuration;

/// <summary>
/// -m [size=]N[,slots=n][,maxmem=M]: initial RAM, DIMM slots and the memory ceiling. QEMU 7.2
/// checks each -m as QemuOpts when it parses it, turns the merged options into the machine's
/// "memory" property (a bare number gets an "M"), and checks the values when that property is
/// set (machine_set_mem).
/// </summary>
public sealed record MemoryOptions(ulong RamSize, ulong Slots, ulong MaxMem)
{
    public const ulong DefaultRamSize = 128UL << 20;

    private const string SizeHint = "\nOptional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.";

    public static MemoryOptions Default { get; } = new(DefaultRamSize, 0, DefaultRamSize);

    /// <summary>True when -m gave a size (QEMU's have_custom_ram_size).</summary>
    public bool HasCustomSize { get; init; }

    /// <summary>
    /// parse_memory_options for one -m: QemuOpts checks (errors without location; the caller
    /// adds it), merged into <paramref name="merged"/>; returns the "memory" dict to merge into
    /// the machine options.
    /// </summary>
    internal static QemuDict ParseOption(string argument, List<KeyValuePair<string, string>> merged, Action<string> warn)
    {
        QemuOpts opts = QemuOpts.Parse(argument, "size", QemuOpts.ParseMode.QemuOpts, warn);
        // -m is a merged list: it takes no id.
        if (opts.Id is not null)
        {
            throw new QemuOptionException("Invalid parameter 'id'");
        }
        foreach ((string name, string value) in opts.Elements)
        {
            switch (name)
            {
                case "size" or "maxmem":
                    QemuValue.Status status = QemuValue.StrToSz(value, 'B', out _, warn);
                    if (status == QemuValue.Status.Range)
                    {
                        throw new QemuOptionException($"Value '{value}' is out of range for parameter '{name}'");
                    }
                    if (status != QemuValue.Status.Ok)
                    {
                        throw new QemuOptionException($"Parameter '{name}' expects a non-negative number below 2^64{SizeHint}");
                    }
                    break;
                case "slots":
                    QemuValue.Status number = QemuValue.StrToU64Full(value, 0, out _);
                    if (number == QemuValue.Status.Range)
                    {
                        throw new QemuOptionException($"Value '{value}' is too large for parameter '{name}'");
                    }
                    if (number != QemuValue.Status.Ok)
                    {
                        throw new QemuOptionException($"Parameter '{name}' expects a number");
                    }
                    break;
                default:
                    throw new QemuOptionException($"Invalid parameter '{name}'");
            }
            merged.Add(new(name, value));
        }

        var memory = new QemuDict();
        string? size = Last(merged, "size");
        QemuValue.StrToSz(size ?? "0", 'B', out ulong sizeValue);
        if (size is not null && sizeValue != 0)
        {
            // The legacy suffix-less format means MiB.
            memory.Put("size", char.IsAsciiDigit(size[^1]) ? size + "M" : size);
        }
        if (Last(merged, "maxmem") is { } maxmem)
        {
            memory.Put("max-size", maxmem);
        }
        if (Last(merged, "slots") is { } slots)
        {
            memory.Put("slots", slots);
        }
        return memory;
    }

    private static string? Last(List<KeyValuePair<string, string>> merged, string key) =>
        merged.LastOrDefault(p => p.Key == key).Value;

    /// <summary>machine_set_mem: visits MemorySizeConfiguration and applies QEMU's rules (no location).</summary>
    internal static MemoryOptions FromProperty(QemuDict memory, Action<string> warn)
    {
        ulong? size = null, maxSize = null, slots = null;
        // QAPI visits the members in schema order, then refuses leftovers.
        if (memory.Get("size") is { } sizeValue)
        {
            size = VisitSize("size", sizeValue, warn);
        }
        if (memory.Get("max-size") is { } maxValue)
        {
            maxSize = VisitSize("max-size", maxValue, warn);
        }
        if (memory.Get("slots") is { } slotsValue)
        {
            if (slotsValue is not string slotsText)
            {
                throw new QemuOptionException("Parameters 'memory.slots.*' are unexpected");
            }
            if (QemuValue.StrToU64Full(slotsText, 0, out ulong parsedSlots) != QemuValue.Status.Ok)
            {
                throw new QemuOptionException("Parameter 'memory.slots' expects integer");
            }
            slots = parsedSlots;
        }
        foreach ((string key, _) in memory.Entries)
        {
            if (key is not ("size" or "max-size" or "slots"))
            {
                throw new QemuOptionException($"Parameter 'memory.{key}' is unexpected");
            }
        }

        // Rounded up to 8 KiB, wrapping as the C does.
        ulong ramSize = unchecked(((size ?? DefaultRamSize) + 8191) & ~8191UL);
        ulong maxMem;
        if (maxSize is ulong max)
        {
            if (max < ramSize)
            {
                throw new QemuOptionException($"invalid value of maxmem: maximum memory size (0x{max:x}) must be at least the initial memory size (0x{ramSize:x})");
            }
            if (slots is > 0 && max == ramSize)
            {
                throw new QemuOptionException($"invalid value of maxmem: memory slots were specified but maximum memory size (0x{max:x}) is equal to the initial memory size (0x{ramSize:x})");
            }
            maxMem = max;
        }
        else
        {
            if (slots is not null)
            {
                throw new QemuOptionException("slots specified but no max-size");
            }
            maxMem = ramSize;
        }
        return new MemoryOptions(ramSize, slots ?? 0, maxMem);
    }

    private static ulong VisitSize(string name, object value, Action<string> warn)
    {
        if (value is not string text)
        {
            throw new QemuOptionException($"Parameters 'memory.{name}.*' are unexpected");
        }
        return QemuValue.StrToSz(text, 'B', out ulong size, warn) == QemuValue.Status.Ok
            ? size
            : throw new QemuOptionException($"Parameter 'memory.{name}' expects size");
    }
}
