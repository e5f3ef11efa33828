namespace Vnvdimm.Host.Configuration;

/// <summary>
/// -smp (the machine's "smp" property): CPU count and topology, computed and checked as QEMU
/// 7.2's machine_parse_smp_config does for pc/q35 (dies supported, clusters not; cores are
/// preferred over sockets since 6.2).
/// </summary>
public sealed record SmpOptions(uint Cpus, uint MaxCpus)
{
    public static SmpOptions Default { get; } = new(1, 1);

    private static readonly string[] Members = ["cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus"];

    internal static SmpOptions FromProperty(QemuDict smp, MachineKind kind, Action<string> warn)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (string name in Members)
        {
            switch (smp.Get(name))
            {
                case null:
                    break;
                case string text when QemuValue.StrToI64Full(text, 0, out long number) == QemuValue.Status.Ok:
                    values[name] = unchecked((ulong)number);
                    break;
                case string:
                    throw new QemuOptionException($"Parameter 'smp.{name}' expects integer");
                default:
                    throw new QemuOptionException($"Parameters 'smp.{name}.*' are unexpected");
            }
        }
        foreach ((string key, _) in smp.Entries)
        {
            if (!Members.Contains(key))
            {
                throw new QemuOptionException($"Parameter 'smp.{key}' is unexpected");
            }
        }
        if (values.Values.Any(v => v == 0))
        {
            warn("warning: Deprecated CPU topology (considered invalid): CPU topology parameters must be greater than zero");
        }

        uint Get(string name) => values.TryGetValue(name, out ulong v) ? unchecked((uint)v) : 0;
        uint cpus = Get("cpus"), sockets = Get("sockets"), dies = Get("dies"), clusters = Get("clusters");
        uint cores = Get("cores"), threads = Get("threads"), maxcpus = Get("maxcpus");
        if (clusters > 1)
        {
            throw new QemuOptionException("clusters not supported by this machine's CPU topology");
        }
        dies = dies > 0 ? dies : 1;
        clusters = 1;
        unchecked
        {
            if (cpus == 0 && maxcpus == 0)
            {
                sockets = sockets > 0 ? sockets : 1;
                cores = cores > 0 ? cores : 1;
                threads = threads > 0 ? threads : 1;
            }
            else
            {
                maxcpus = maxcpus > 0 ? maxcpus : cpus;
                if (sockets == 0)
                {
                    cores = cores > 0 ? cores : 1;
                    threads = threads > 0 ? threads : 1;
                    sockets = maxcpus / (dies * clusters * cores * threads);
                }
                else if (cores == 0)
                {
                    threads = threads > 0 ? threads : 1;
                    cores = maxcpus / (sockets * dies * clusters * threads);
                }
                if (threads == 0)
                {
                    threads = maxcpus / (sockets * dies * clusters * cores);
                }
            }
            maxcpus = maxcpus > 0 ? maxcpus : sockets * dies * clusters * cores * threads;
            cpus = cpus > 0 ? cpus : maxcpus;
            string topology = $"sockets ({sockets}) * dies ({dies}) * cores ({cores}) * threads ({threads})";
            if (sockets * dies * clusters * cores * threads != maxcpus)
            {
                throw new QemuOptionException($"Invalid CPU topology: product of the hierarchy must match maxcpus: {topology} != maxcpus ({maxcpus})");
            }
            if (maxcpus < cpus)
            {
                throw new QemuOptionException($"Invalid CPU topology: maxcpus must be equal to or greater than smp: {topology} == maxcpus ({maxcpus}) < smp_cpus ({cpus})");
            }
        }
        (string machine, uint limit) = kind == MachineKind.Pc ? ("pc-i440fx-7.2", 255u) : ("pc-q35-7.2", 288u);
        if (maxcpus > limit)
        {
            throw new QemuOptionException($"Invalid SMP CPUs {maxcpus}. The max CPUs supported by machine '{machine}' is {limit}");
        }
        return new SmpOptions(cpus, maxcpus);
    }
}
