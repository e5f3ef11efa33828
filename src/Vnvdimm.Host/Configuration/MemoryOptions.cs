namespace Vnvdimm.Host.Configuration;

/// <summary>-m [size=]N[,slots=n][,maxmem=M]: initial RAM, DIMM slots and the memory ceiling.</summary>
public sealed record MemoryOptions(ulong RamSize, ulong Slots, ulong MaxMem)
{
    public const ulong DefaultRamSize = 128UL << 20;

    private const string SizeHelp = "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.";

    public static MemoryOptions Default { get; } = new(DefaultRamSize, 0, DefaultRamSize);

    /// <summary>Parses every -m option (QemuOpts merges them; the last value of a key wins) and applies QEMU's set_memory_options rules.</summary>
    public static MemoryOptions Parse(IReadOnlyList<VmOption> memoryOptions)
    {
        if (memoryOptions.Count == 0)
        {
            return Default;
        }

        string? sizeText = null, slotsText = null, maxmemText = null;
        foreach (VmOption option in memoryOptions)
        {
            QemuOpts opts;
            try
            {
                opts = QemuOpts.Parse(option.Argument, "size");
            }
            catch (QemuOptionException e)
            {
                throw e.WithLocation(option.Location);
            }
            foreach (string key in opts.Keys)
            {
                if (key is not ("size" or "slots" or "maxmem"))
                {
                    throw new QemuOptionException($"Invalid parameter '{key}'", option.Location);
                }
            }
            // QemuOpts checks each value's type as it is parsed.
            if (opts.Get("size") is { } size)
            {
                sizeText = size;
                if (size.Length != 0 && !QemuValue.TryParseSize(size, 1, out _))
                {
                    throw new QemuOptionException($"Parameter 'size' expects a non-negative number below 2^64\n{SizeHelp}", option.Location);
                }
            }
            if (opts.Get("slots") is { } slots)
            {
                slotsText = slots;
                if (!ulong.TryParse(slots, out _))
                {
                    throw new QemuOptionException("Parameter 'slots' expects a number", option.Location);
                }
            }
            if (opts.Get("maxmem") is { } maxmem)
            {
                maxmemText = maxmem;
                if (!QemuValue.TryParseSize(maxmem, 1, out _))
                {
                    throw new QemuOptionException($"Parameter 'maxmem' expects a non-negative number below 2^64\n{SizeHelp}", option.Location);
                }
            }
        }

        ulong ramSize = DefaultRamSize;
        if (sizeText is not null)
        {
            if (sizeText.Length == 0)
            {
                throw new QemuOptionException("missing 'size' option value");
            }
            QemuValue.TryParseSize(sizeText, 1, out ulong requested);
            // A suffix-less -m number is MiB (QEMU's legacy fix-up, applied when the text ends in a digit).
            if (char.IsAsciiDigit(sizeText[^1]))
            {
                UInt128 mib = (UInt128)requested << 20;
                if (mib > ulong.MaxValue)
                {
                    throw new QemuOptionException("too large 'size' option value");
                }
                requested = (ulong)mib;
            }
            // "-m 0" means the default, for backward compatibility; sizes round up to 8 KiB.
            ramSize = requested == 0 ? DefaultRamSize : unchecked((requested + 8191) & ~8191UL);
        }

        ulong slotCount = slotsText is null ? 0 : ulong.Parse(slotsText);
        ulong maxMem = ramSize;
        if (maxmemText is not null)
        {
            QemuValue.TryParseSize(maxmemText, 1, out maxMem);
            if (maxMem < ramSize)
            {
                throw new QemuOptionException($"invalid value of maxmem: maximum memory size (0x{maxMem:x}) must be at least the initial memory size (0x{ramSize:x})");
            }
            if (slotCount > 0 && maxMem == ramSize)
            {
                throw new QemuOptionException($"invalid value of maxmem: memory slots were specified but maximum memory size (0x{maxMem:x}) is equal to the initial memory size (0x{ramSize:x})");
            }
        }
        else if (slotsText is not null)
        {
            throw new QemuOptionException("slots specified but no max-size");
        }
        return new MemoryOptions(ramSize, slotCount, maxMem);
    }
}
