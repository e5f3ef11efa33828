namespace Vnvdimm.Host.Configuration;

/// <summary>
/// The whole command line, split by option kind and syntax-checked in argument order as QEMU's
/// option loop does. Semantic checks happen when the machine is built.
/// </summary>
public sealed class VmConfiguration
{
    public required IReadOnlyList<VmOption> Options { get; init; }
    public required MachineOptions Machine { get; init; }
    public required MemoryOptions Memory { get; init; }
    public required IReadOnlyList<(VmOption Option, QemuOpts Opts)> Objects { get; init; }
    public required IReadOnlyList<(VmOption Option, QemuOpts Opts)> Devices { get; init; }
    public required VmOption? Cpu { get; init; }
    public required IReadOnlyList<VmOption> Numa { get; init; }
    public required int SmpCpus { get; init; }
    /// <summary>The last -monitor argument ("stdio", "none", "unix:PATH,server=on,wait=off"), or null.</summary>
    public required string? Monitor { get; init; }
    public required IReadOnlyList<string> Qmp { get; init; }
    public required string? Serial { get; init; }

    public static VmConfiguration Parse(IReadOnlyList<string> args, Action<string> warn)
    {
        IReadOnlyList<VmOption> options = VmCommandLine.Split(args);
        var objects = new List<(VmOption, QemuOpts)>();
        var devices = new List<(VmOption, QemuOpts)>();
        var machine = new List<VmOption>();
        var memory = new List<VmOption>();
        var numa = new List<VmOption>();
        var qmp = new List<string>();
        VmOption? cpu = null;
        string? monitor = null, serial = null;
        int smp = 1;

        foreach (VmOption option in options)
        {
            try
            {
                switch (option.Name)
                {
                    case "-object":
                        objects.Add((option, QemuOpts.Parse(option.Argument, "qom-type", QemuOpts.ParseMode.QemuOpts, w => warn($"{option.Location}: {w}"))));
                        break;
                    case "-device":
                        devices.Add((option, QemuOpts.Parse(option.Argument, "driver", QemuOpts.ParseMode.QemuOpts, w => warn($"{option.Location}: {w}"))));
                        break;
                    case "-machine":
                        QemuOpts.Parse(option.Argument, "type", QemuOpts.ParseMode.KeyVal);
                        machine.Add(option);
                        break;
                    case "-m":
                        memory.Add(option);
                        break;
                    case "-numa":
                        numa.Add(option);
                        break;
                    case "-cpu":
                        cpu = option;
                        break;
                    case "-smp":
                        QemuOpts smpOpts = QemuOpts.Parse(option.Argument, "cpus");
                        smp = (int)Math.Clamp(smpOpts.GetNumber("cpus") ?? 1, 1, 1024);
                        break;
                    case "-monitor":
                        monitor = option.Argument;
                        break;
                    case "-qmp":
                        qmp.Add(option.Argument);
                        break;
                    case "-serial":
                        serial = option.Argument;
                        break;
                }
            }
            catch (QemuOptionException e)
            {
                throw e.WithLocation(option.Location);
            }
        }

        // QEMU validates -m (set_memory_options) before it applies -machine properties.
        MemoryOptions memoryOptions = MemoryOptions.Parse(memory);
        MachineOptions machineOptions = MachineOptions.Parse(machine);
        return new VmConfiguration
        {
            Options = options,
            Machine = machineOptions,
            Memory = memoryOptions,
            Objects = objects,
            Devices = devices,
            Cpu = cpu,
            Numa = numa,
            SmpCpus = smp,
            Monitor = monitor,
            Qmp = qmp,
            Serial = serial,
        };
    }
}
