using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Interop;

/// <summary>
/// A real Linux guest (Debian 12's kernel, busybox, ndctl and the NVDIMM modules in an initramfs)
/// booted under qemu-system-x86_64 in software emulation with one vNVDIMM backed by an image file.
/// Its /init loads the modules, runs the boot's commands script and powers off; the script prints
/// sections between markers on the serial console, which the harness returns.
/// </summary>
internal sealed partial class LinuxGuest
{
    public const long LabelSize = 128 * 1024;
    public static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(120);

    // Load order respects modules.dep (libnvdimm first, nd_btt before nd_pmem).
    private static readonly string[] Modules = ["libnvdimm", "nfit", "nd_btt", "nd_pmem", "device_dax", "dax_pmem"];
    private static readonly string[] Applets =
        ["sh", "mount", "cat", "echo", "mkdir", "sleep", "poweroff", "insmod", "dd", "od", "head", "sed", "sync", "ls", "printf", "tr", "grep", "rm"];

    private const string Init = """
        #!/bin/sh
        mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
        # Only emergencies on the console, so kernel messages do not interleave with the sections.
        echo 1 > /proc/sys/kernel/printk
        for m in libnvdimm nfit nd_btt nd_pmem device_dax dax_pmem; do insmod /mods/$m.ko || echo "===INSMOD FAILED $m==="; done
        # Probing is asynchronous: wait for the region and its namespaces before running commands.
        i=0; while [ ! -e /sys/bus/nd/devices/region0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
        sleep 1
        # section NAME CMD...: the output (stdout+stderr, not a terminal) of CMD between markers.
        section() { n=$1; shift; "$@" > /tmp/out 2>&1; r=$?; echo "===BEGIN $n==="; cat /tmp/out; echo "===END $n $r==="; }
        echo "===READY==="
        . /cmds.sh
        echo "===DONE==="
        sync
        poweroff -f
        """;

    private static readonly Lazy<LinuxGuest> Built = new(Build);

    private readonly string _kernel;
    private readonly string _release;
    private readonly byte[] _baseInitrd;

    private LinuxGuest(string kernel, string release, byte[] baseInitrd)
    {
        _kernel = kernel;
        _release = release;
        _baseInitrd = baseInitrd;
    }

    /// <summary>
    /// The guest, built once per test run. A missing piece fails the test (skips it under
    /// VNVDIMM_SKIP_EXTERNAL=1).
    /// </summary>
    public static LinuxGuest Get()
    {
        if (MissingPiece() is string missing)
        {
            ExternalTools.Missing(missing);
        }
        return Built.Value;
    }

    private static string? MissingPiece()
    {
        if (ExternalTools.Find("qemu-system-x86_64") is null)
        {
            return "qemu-system-x86_64 is not installed";
        }
        if (ExternalTools.Find("ndctl") is null)
        {
            return "ndctl is not installed";
        }
        if (!File.Exists("/bin/busybox"))
        {
            return "/bin/busybox (busybox-static) is not installed";
        }
        if (FindKernel() is null)
        {
            return "no /boot/vmlinuz-*-amd64 with its /lib/modules (linux-image-amd64) is installed";
        }
        return null;
    }

    /// <summary>The newest Debian amd64 kernel and its release, when its modules are there too.</summary>
    private static (string Image, string Release)? FindKernel()
    {
        if (!Directory.Exists("/boot"))
        {
            return null;
        }
        return Directory.EnumerateFiles("/boot", "vmlinuz-*-amd64")
            .Select(image => (Image: image, Release: Path.GetFileName(image)["vmlinuz-".Length..]))
            .Where(k => File.Exists(Path.Combine("/lib/modules", k.Release, "modules.dep")))
            .OrderBy(k => k.Release, Comparer<string>.Create(CompareVersions))
            .Select(k => ((string, string)?)k)
            .LastOrDefault();
    }

    private static int CompareVersions(string a, string b)
    {
        long[] Numbers(string s) => NumberPattern().Matches(s).Select(m => long.Parse(m.Value)).ToArray();
        long[] x = Numbers(a), y = Numbers(b);
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i])
            {
                return x[i].CompareTo(y[i]);
            }
        }
        return x.Length.CompareTo(y.Length);
    }

    private static LinuxGuest Build()
    {
        (string kernel, string release) = FindKernel()!.Value;
        var root = new GuestRootBuilder(release);
        foreach (string dir in new[] { "bin", "dev", "proc", "sys", "tmp", "mods", "lib", "lib64" })
        {
            root.Directory(dir);
        }
        root.CharDevice("dev/console", 5, 1);
        root.File("init", Encoding.ASCII.GetBytes(Init.Replace("\r", "") + "\n"));
        root.HostFile("/bin/busybox", "bin/busybox", executable: true);
        root.Applets(Applets);
        root.Modules(Modules);
        foreach (string program in new[] { "ndctl", "daxctl" })
        {
            // daxctl is a separate Debian package; it is included when installed.
            if (ExternalTools.Find(program) is string path)
            {
                root.Program(path, $"bin/{program}");
            }
        }
        return new LinuxGuest(kernel, release, root.ToArray());
    }

    /// <summary>More files for one boot, laid out over the base guest (its /bin/busybox, /mods, libraries).</summary>
    public GuestRootBuilder Additions() => new(_release);

    /// <summary>
    /// Boots the guest with <paramref name="image"/> (whose length is the backend size) as its vNVDIMM
    /// and <paramref name="commands"/> as its /cmds.sh; fails when the guest does not finish in time.
    /// </summary>
    public GuestRun Boot(string image, string commands, string workDirectory)
    {
        long size = new FileInfo(image).Length;
        return Boot(
        [
            "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
            "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size={size}",
            "-device", $"nvdimm,id=nvdimm1,memdev=mem1,label-size={LabelSize / 1024}K",
        ], commands, workDirectory);
    }

    /// <summary>Boots the guest on any machine (<paramref name="machine"/>: QEMU's machine, memory, object and device options).</summary>
    public GuestRun Boot(IReadOnlyList<string> machine, string commands, string workDirectory, GuestRootBuilder? additions = null, TimeSpan? timeout = null)
    {
        var script = new NewcArchive();
        script.File("cmds.sh", Encoding.ASCII.GetBytes(commands.Replace("\r", "") + "\n"));
        string initrd = Path.Combine(workDirectory, "initrd.cpio");
        // The kernel unpacks concatenated archives in turn: the cached base, this boot's additions, its script.
        using (FileStream file = File.Create(initrd))
        {
            file.Write(_baseInitrd);
            if (additions is not null)
            {
                file.Write(additions.ToArray());
            }
            file.Write(script.ToArray());
        }
        TimeSpan limit = timeout ?? BootTimeout;

        string[] arguments =
        [
            .. machine,
            "-kernel", _kernel, "-initrd", initrd,
            "-append", "console=ttyS0 quiet panic=-1",
            "-nographic", "-no-reboot",
        ];
        var start = new ProcessStartInfo("qemu-system-x86_64", arguments)
        {
            // stdin redirected so QEMU's -nographic monitor mux does not take the test's terminal.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var console = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using Process qemu = Process.Start(start)!;
        qemu.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (console) { console.Append(e.Data).Append('\n'); } } };
        qemu.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (console) { console.Append(e.Data).Append('\n'); } } };
        qemu.BeginOutputReadLine();
        qemu.BeginErrorReadLine();
        bool exited = qemu.WaitForExit(limit);
        if (!exited)
        {
            qemu.Kill(entireProcessTree: true);
            qemu.WaitForExit();
        }
        else
        {
            qemu.WaitForExit(); // drains the asynchronous readers
        }
        stopwatch.Stop();
        string text;
        lock (console)
        {
            text = console.ToString().Replace("\r", "");
        }
        if (!exited)
        {
            throw new TimeoutException($"the Linux guest did not power off within {limit.TotalSeconds} s; console:\n{Tail(text)}");
        }
        if (!text.Contains("===DONE===", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the Linux guest stopped (QEMU status {qemu.ExitCode}) before its commands finished; console:\n{Tail(text)}");
        }
        if (text.Contains("===INSMOD FAILED", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the Linux guest could not load an NVDIMM module; console:\n{Tail(text)}");
        }
        return new GuestRun(text, stopwatch.Elapsed);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    [GeneratedRegex(@"\d+")]
    private static partial Regex NumberPattern();

}

/// <summary>What one boot printed on its serial console.</summary>
internal sealed partial record GuestRun(string Console, TimeSpan Elapsed)
{
    /// <summary>The output of the guest's `section NAME …`; fails when it is missing or its command failed.</summary>
    public string Section(string name, bool requireSuccess = true)
    {
        (int status, string text) = SectionResult(name);
        if (requireSuccess && status != 0)
        {
            throw new InvalidOperationException($"the guest's {name} failed with status {status}:\n{text}");
        }
        return text;
    }

    /// <summary>The exit status and output of the guest's `section NAME …`; fails when it is missing.</summary>
    public (int Status, string Text) SectionResult(string name)
    {
        Match match = Regex.Match(Console, $"===BEGIN {Regex.Escape(name)}===\n(.*?)===END {Regex.Escape(name)} (\\d+)===", RegexOptions.Singleline);
        if (!match.Success)
        {
            throw new InvalidOperationException($"the guest printed no section {name}; console:\n{Console}");
        }
        return (int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[1].Value);
    }

    /// <summary>Bytes printed by `od -An -v -tx1` (-v: no "*" for repeated lines) in section <paramref name="name"/>.</summary>
    public byte[] HexSection(string name) =>
        Section(name).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(h => Convert.ToByte(h, 16)).ToArray();
}
