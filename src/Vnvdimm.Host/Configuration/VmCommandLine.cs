namespace Vnvdimm.Host.Configuration;

/// <summary>
/// Splits a QEMU-style argument vector into options, refusing unknown ones as QEMU does.
/// Typed parsing of each option happens in <see cref="VmConfiguration"/>.
/// </summary>
public static class VmCommandLine
{
    // Options that take an argument. Aliases map to the canonical name.
    private static readonly Dictionary<string, string> OptionsWithArgument = new(StringComparer.Ordinal)
    {
        ["-machine"] = "-machine", ["-M"] = "-machine",
        ["-m"] = "-m",
        ["-cpu"] = "-cpu",
        ["-smp"] = "-smp",
        ["-object"] = "-object",
        ["-device"] = "-device",
        ["-numa"] = "-numa",
        ["-monitor"] = "-monitor",
        ["-qmp"] = "-qmp",
        ["-serial"] = "-serial",
        ["-display"] = "-display",
        ["-accel"] = "-accel",
        ["-name"] = "-name",
    };

    // Flags accepted for compatibility with QEMU command lines (they change nothing here).
    // -h, -help and -version print and exit when the option loop reaches them.
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal)
    {
        "-nographic", "-nodefaults", "-S", "-no-reboot", "-no-shutdown", "-h", "-help", "-version",
    };

    /// <summary>The name given to a bare argument (QEMU's "-hda FILE" shorthand).</summary>
    public const string DiskImage = "-hda";

    public static IReadOnlyList<VmOption> Split(IReadOnlyList<string> args)
    {
        var options = new List<VmOption>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            // QEMU accepts "--option" as "-option".
            if (!arg.StartsWith('-'))
            {
                options.Add(new VmOption(DiskImage, arg, string.Empty));
                continue;
            }
            string name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[1..] : arg;
            if (Flags.Contains(name))
            {
                options.Add(new VmOption(name, arg, string.Empty));
                continue;
            }
            if (!OptionsWithArgument.TryGetValue(name, out string? canonical))
            {
                throw new QemuOptionException("invalid option", arg);
            }
            if (i + 1 >= args.Count)
            {
                throw new QemuOptionException("requires an argument", arg);
            }
            options.Add(new VmOption(canonical, arg, args[++i]));
        }
        return options;
    }
}
