namespace Vnvdimm.Host.Configuration;

/// <summary>-cpu MODEL[,phys-bits=N]: only what bounds the guest-physical address space matters here.</summary>
public sealed record CpuOptions(string Model, uint PhysBits, bool IsAmd)
{
    /// <summary>QEMU's TCG default for phys-bits.</summary>
    public const uint DefaultPhysBits = 40;

    // Vendor decides the AMD HyperTransport-hole relocation of RAM above 4 GiB.
    private static readonly Dictionary<string, bool> ModelIsAmd = new(StringComparer.Ordinal)
    {
        ["qemu64"] = true, ["qemu32"] = false, ["kvm64"] = false, ["kvm32"] = false, ["max"] = true,
        ["base"] = false, ["Skylake-Client"] = false, ["Skylake-Server"] = false, ["Cascadelake-Server"] = false,
        ["Icelake-Server"] = false, ["Haswell"] = false, ["Broadwell"] = false, ["EPYC"] = true, ["EPYC-Rome"] = true,
        ["EPYC-Milan"] = true, ["Opteron_G5"] = true,
    };

    public static CpuOptions Default { get; } = new("qemu64", DefaultPhysBits, true);

    public static CpuOptions Parse(VmOption? option)
    {
        if (option is null)
        {
            return Default;
        }
        // -cpu is "model,feature,feature=value"; only phys-bits is interpreted.
        string[] parts = option.Argument.Split(',');
        string model = parts[0];
        if (!ModelIsAmd.TryGetValue(model, out bool isAmd))
        {
            throw new QemuOptionException($"unable to find CPU model '{model}'");
        }
        uint physBits = DefaultPhysBits;
        foreach (string part in parts.Skip(1))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && part[..eq] == "phys-bits")
            {
                string value = part[(eq + 1)..];
                if (!uint.TryParse(value, out physBits))
                {
                    throw new QemuOptionException($"Parameter 'phys-bits' expects uint32_t");
                }
            }
        }
        if (physBits != 0 && (physBits < 32 || physBits > 52))
        {
            throw new QemuOptionException($"phys-bits should be between 32 and 52  (but is {physBits})");
        }
        return new CpuOptions(model, physBits == 0 ? DefaultPhysBits : physBits, isAmd);
    }
}
