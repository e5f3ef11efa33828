using System.Reflection;

namespace Vnvdimm.Cli;

/// <summary>
/// The texts of "-h" and "-version": QEMU's layout ("-option args", descriptions indented to
/// column 16, its section headings), naming only the options and verbs vnvdimm has.
/// </summary>
public static class ProgramUsage
{
    /// <summary>The version of QEMU whose vNVDIMM vnvdimm reproduces.</summary>
    public const string EmulatedQemu = "7.2";

    public static string Version
    {
        get
        {
            Version? version = typeof(ProgramUsage).Assembly.GetName().Version;
            string text = version is null ? "0.0.0" : $"{version.Major}.{version.Minor}.{version.Build}";
            return $"{VnvdimmProgram.ProgramName} version {text}, a virtual NVDIMM that emulates QEMU {EmulatedQemu}'s vNVDIMM "
                + $"(qemu-system-x86_64 options, monitor, ACPI)\n";
        }
    }

    public static string Usage =>
        Version
        + $$"""
        usage: {{VnvdimmProgram.ProgramName}} [options]
               {{VnvdimmProgram.ProgramName}} acpi [options] --out FOLDER [--dsm-page ADDRESS]
               {{VnvdimmProgram.ProgramName}} image FILE [--size SIZE] --label-size SIZE -- ndctl COMMAND [ARGS]
               {{VnvdimmProgram.ProgramName}} check [--json] [--argv-file FILE | --pid PID | QEMU-OPTIONS]

        Without options: a demo machine with one 256 MiB NVDIMM in ./vnvdimm-demo.img.
        Without -monitor stdio, standard input is the console of the built-in guest
        (ndctl commands, 'help', 'poweroff').

        Standard options:
        -h or -help     display this help and exit
        -version        display version information and exit
        -machine [type=]name[,prop[=value][,...]]
                        selects emulated machine ('-machine help' for list)
                        nvdimm=on|off controls NVDIMM support (default=off)
                        nvdimm-persistence=cpu|mem-ctrl sets the persistence domain in the NFIT
                        hmat=on|off controls ACPI HMAT support (default=off)
                        dump-guest-core=on|off include guest memory in a core dump (default=on)
                        mem-merge=on|off controls memory merge support (default: on)
                        memory-backend='backend-id' specifies explicitly provided backend for main RAM (default=none)
        -cpu cpu        select CPU
        -accel [accel=]accelerator[,prop[=value][,...]]
                        select accelerator (tcg)
        -smp [[cpus=]n][,maxcpus=maxcpus][,sockets=sockets][,dies=dies][,clusters=clusters][,cores=cores][,threads=threads]
                        set the number of initial CPUs to 'n' [default=1]
        -numa node[,mem=size][,cpus=firstcpu[-lastcpu]][,nodeid=node][,initiator=node]
        -numa node[,memdev=id][,cpus=firstcpu[-lastcpu]][,nodeid=node][,initiator=node]
        -numa dist,src=source,dst=destination,val=distance
        -m [size=]megs[,slots=n,maxmem=size]
                        configure guest RAM
                        size: initial amount of guest memory
                        slots: number of hotplug slots (default: none)
                        maxmem: maximum amount of guest memory (default: none)
        -device driver[,prop[=value][,...]]
                        add device (nvdimm or pc-dimm)
                        prop=value,... sets driver properties
                        use '-device help' to print all possible drivers
                        use '-device driver,help' to print all possible properties
        -device '{"driver":"nvdimm","id":...,"memdev":...}'
                        the same in JSON, as libvirt writes it
        -name string1   accepted, ignored

        Display options:
        -display none   accepted (vnvdimm has no display)
        -nographic      accepted

        Debug/Expert options:
        -serial dev     accepted, ignored
        -monitor dev    redirect the monitor to char device 'dev' (stdio, none, unix:PATH,... or tcp:HOST:PORT,...)
        -qmp dev        like -monitor but opens in 'control' mode
        -S              accepted
        -no-reboot      accepted
        -no-shutdown    accepted
        -nodefaults     accepted

        Generic object creation:
        -object TYPENAME[,PROP1=VALUE1,...]
                        create a new object of type TYPENAME setting properties
                        (memory-backend-file, memory-backend-ram, memory-backend-memfd;
                        '-object TYPENAME,help' lists the properties)
        -object '{"qom-type":TYPENAME,"id":...,PROP1:VALUE1,...}'
                        the same in JSON

        Verbs:
        acpi            write the ACPI tables the guest sees (NFIT, SSDT, loader script) to --out
        image           run ndctl label commands on a backend file, offline
        check           is each NVDIMM's data persistent, would QEMU accept the command line? (changes nothing)

        """;
}
