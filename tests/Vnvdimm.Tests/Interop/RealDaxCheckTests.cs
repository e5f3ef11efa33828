using System.Text.Json.Nodes;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Interop;

/// <summary>
/// Issue 12, item 5: `vnvdimm check` and the vnvdimm machine on real DAX. The Linux guest boots
/// under QEMU with one emulated NVDIMM, makes a devdax namespace (/dev/dax0.0) and an fsdax one
/// with ext4 mounted -o dax, and runs the Native AOT vnvdimm there beside Debian's
/// qemu-system-x86_64 (QEMU inside the guest, -S, so it only builds its machine): check's
/// verdicts, QEMU's own errors and warnings for the same options, and each program's mapping as
/// /proc/PID/smaps shows it ("sf" in VmFlags is VM_SYNC: the mapping has MAP_SYNC).
/// </summary>
public sealed class RealDaxCheckTests(ITestOutputHelper output)
{
    private const string QemuPrefix = "qemu-system-x86_64: ";
    private const string VnvdimmPrefix = "vnvdimm: ";
    private const string DaxFile = "share=on,pmem=on,mem-path=/mnt/dax/pmem.img,size=256M";
    private const string TmpfsFile = "share=on,pmem=on,mem-path=/mnt/tmp/pmem.img,size=256M";
    private const string CannotMap = "unable to map backing store for guest RAM: Invalid argument";

    // Substituted in the guest: the device-dax node and its size from sysfs.
    private const string DaxDevice = "share=on,pmem=on,mem-path=$DAX,size=$SIZE,align=2M";

    /// <summary>The backend options checked, run under QEMU and run by the vnvdimm machine, by case name.</summary>
    private static readonly (string Name, string Options)[] Cases =
    [
        ("dax-file", DaxFile),
        ("dax-file-pmem-off", "share=on,pmem=off,mem-path=/mnt/dax/pmem.img,size=256M"),
        ("dax-file-share-off", "share=off,pmem=on,mem-path=/mnt/dax/pmem.img,size=256M"),
        ("tmpfs-file", TmpfsFile),
        ("devdax", DaxDevice),
        ("devdax-align-64k", "share=on,pmem=on,mem-path=$DAX,size=$SIZE,align=64K"),
        ("devdax-no-align", "share=on,pmem=on,mem-path=$DAX,size=$SIZE"),
        ("devdax-share-off", "share=off,pmem=on,mem-path=$DAX,size=$SIZE,align=2M"),
        ("devdax-too-big", "share=on,pmem=on,mem-path=$DAX,size=1G,align=2M"),
    ];

    /// <summary>
    /// Device dax with an align below its own: QEMU's mapping fails unless the address it gets
    /// happens to be on the device's alignment, so QEMU runs several times there.
    /// </summary>
    private static readonly string[] AddressDependent = ["devdax-align-64k", "devdax-no-align"];
    private const int QemuRuns = 3;

    private static readonly Lazy<GuestRun> Run = new(Boot);

    private const string Script = """
        # ext4 for the DAX mount; busybox insmod takes dependencies first.
        for m in crc16 crc32c_generic mbcache jbd2 ext4; do insmod /mods/$m.ko || echo "===INSMOD FAILED $m==="; done
        M="-machine pc,nvdimm=on -m 256M,slots=2,maxmem=4G"
        DEV="-device nvdimm,id=n1,memdev=m1,label-size=128K"
        # Standard error, a marker, then standard output; the status is the command's.
        both() { "$@" > /tmp/stdout 2> /tmp/stderr; r=$?; cat /tmp/stderr; echo "---stdout---"; cat /tmp/stdout; return $r; }
        check() { vnvdimm check --json $M -object "memory-backend-file,id=m1,$1" $DEV; }
        qemu() { echo quit | qemu-system-x86_64 $M -object "memory-backend-file,id=m1,$1" $DEV -S -display none -nodefaults -monitor stdio; }
        machine() { printf "$2" | vnvdimm -guest-folder /mnt/dax $M -object "memory-backend-file,id=m1,$1" $DEV; }
        # Runs the rest with standard input on a FIFO; once its mapping of $1 shows in smaps, prints
        # that mapping's VmFlags, then writes $2 (the command that ends it) and waits.
        live_flags() {
          path=$1; stop=$2; shift 2
          rm -f /tmp/fifo; mkfifo /tmp/fifo
          "$@" < /tmp/fifo > /tmp/live 2>&1 &
          pid=$!
          exec 3> /tmp/fifo
          i=0; flags=""
          while [ $i -lt 600 ] && [ -z "$flags" ] && [ -d /proc/$pid ]; do
            flags=$(awk -v p="$path" '$NF == p && /^[0-9a-f]+-/ { f = 1; next } f && /^VmFlags:/ { print; exit }' /proc/$pid/smaps 2>/dev/null)
            [ -n "$flags" ] || sleep 0.1
            i=$((i+1))
          done
          echo "flags: $flags"
          echo "$stop" >&3; exec 3>&-
          wait $pid; r=$?
          cat /tmp/live
          return $r
        }
        vnvdimm_live() { live_flags "$2" poweroff vnvdimm -guest-folder /mnt/dax $M -object "memory-backend-file,id=m1,$1" $DEV; }
        qemu_live() { live_flags "$2" quit qemu-system-x86_64 $M -object "memory-backend-file,id=m1,$1" $DEV -S -display none -nodefaults -monitor stdio; }

        # One region: a devdax namespace (dax0.0) and an fsdax one carrying ext4 -o dax.
        setup() {
          ndctl disable-region all && ndctl init-labels all && ndctl enable-region all &&
          ndctl create-namespace -r region0 -m devdax -s 256M > /dev/null &&
          ndctl create-namespace -r region0 -m fsdax -s 512M > /dev/null &&
          P=$(ls /dev/pmem*) && mkfs.ext4 -q -F -b 4096 $P &&
          mkdir -p /mnt/dax /mnt/tmp && mount -t ext4 -o dax $P /mnt/dax && mount -t tmpfs tmpfs /mnt/tmp &&
          truncate -s 256M /mnt/dax/pmem.img /mnt/tmp/pmem.img &&
          ls /sys/bus/dax/devices && cat /sys/bus/dax/devices/*/size && grep ' /mnt/' /proc/mounts
        }
        section setup setup
        DAX=/dev/$(ls /sys/bus/dax/devices | head -1)
        SIZE=$(cat /sys/bus/dax/devices/*/size | head -1)
        """;

    private static GuestRun Boot()
    {
        LinuxGuest guest = LinuxGuest.Get();
        string aot = NativeAotProgram();
        string work = Directory.CreateTempSubdirectory("vnvdimm-realdax-").FullName;
        try
        {
            string qemu = ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
            string mke2fs = ExternalTools.Find("mke2fs") ?? FirstExisting("/usr/sbin/mke2fs", "/sbin/mke2fs")
                ?? ExternalTools.Missing("mke2fs is not installed (Debian package e2fsprogs)");
            GuestRootBuilder additions = guest.Additions()
                .Modules("crc16", "crc32c_generic", "mbcache", "jbd2", "ext4")
                .Applets("mkfifo", "awk", "truncate")
                .Program(mke2fs, "bin/mkfs.ext4")
                .Program(aot, "bin/vnvdimm")
                // At its own path: QEMU finds its modules and firmware relative to it. The TCG
                // accelerator is a module; the two ROMs are all the -S machine loads.
                .Program(qemu, "usr/bin/qemu-system-x86_64")
                .HostFile(QemuFile("/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so"))
                .HostFile(QemuFile("/usr/share/seabios/bios-256k.bin"))
                .HostFile(QemuFile("/usr/share/qemu/kvmvapic.bin"));

            var script = new System.Text.StringBuilder(Script.Replace("\r", "")).Append('\n');
            foreach ((string name, string options) in Cases)
            {
                script.Append($"section check-{name} check \"{options}\"\n");
                script.Append($"section qemu-{name} both qemu \"{options}\"\n");
                if (AddressDependent.Contains(name))
                {
                    for (int run = 2; run <= QemuRuns; run++)
                    {
                        script.Append($"section qemu-{name}-{run} both qemu \"{options}\"\n");
                    }
                }
                script.Append($"section machine-{name} both machine \"{options}\" 'ndctl list -R\\n'\n");
            }
            foreach ((string name, string options, string path) in MappedCases)
            {
                script.Append($"section live-vnvdimm-{name} vnvdimm_live \"{options}\" \"{path}\"\n");
                script.Append($"section live-qemu-{name} qemu_live \"{options}\" \"{path}\"\n");
            }
            // The guest of the vnvdimm machine writes labels through each DAX mapping; they are
            // there for check, the offline image tool and the next run.
            script.Append($"section guest-writes-dax-file machine \"{DaxFile}\" 'ndctl disable-region all\\nndctl init-labels all\\nndctl enable-region all\\nndctl create-namespace -m fsdax -s 64M -n on-dax\\n'\n");
            script.Append($"section check-after-writes check \"{DaxFile}\"\n");
            script.Append("section image-after-writes vnvdimm image /mnt/dax/pmem.img --label-size 128K -- ndctl list -N\n");
            script.Append($"section guest-writes-devdax machine \"{DaxDevice}\" 'ndctl disable-region all\\nndctl init-labels all\\nndctl enable-region all\\nndctl create-namespace -m devdax -s 64M -n on-devdax\\n'\n");
            script.Append($"section guest-reads-devdax machine \"{DaxDevice}\" 'ndctl list -N\\n'\n");
            script.Append("section sysfs-size echo \"$SIZE\"\n");

            // The outer NVDIMM: 1 GiB of sparse file.
            string image = Path.Combine(work, "outer.img");
            using (FileStream file = File.Create(image))
            {
                file.SetLength(1L << 30);
            }
            string[] machine =
            [
                "-machine", "pc,nvdimm=on", "-m", "1G,slots=4,maxmem=8G", "-smp", "1",
                "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size=1G",
                "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
            ];
            return guest.Boot(machine, script.ToString(), work, additions, TimeSpan.FromMinutes(6));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Mappings whose VmFlags are compared: (case, backend options, the path smaps shows).</summary>
    private static readonly (string Name, string Options, string Path)[] MappedCases =
    [
        ("dax-file", DaxFile, "/mnt/dax/pmem.img"),
        ("dax-file-pmem-off", "share=on,pmem=off,mem-path=/mnt/dax/pmem.img,size=256M", "/mnt/dax/pmem.img"),
        ("tmpfs-file", TmpfsFile, "/mnt/tmp/pmem.img"),
        ("devdax", DaxDevice, "/dev/dax0.0"),
    ];

    private static string? FirstExisting(params string[] paths) => paths.FirstOrDefault(File.Exists);

    private static string QemuFile(string path) =>
        File.Exists(path) ? path : ExternalTools.Missing($"{path} is missing (Debian packages qemu-system-x86, seabios)");

    /// <summary>
    /// The Native AOT vnvdimm scripts/test.sh publishes before the tests; it must not predate the
    /// build the other tests run, or the guest would test old code.
    /// </summary>
    private static string NativeAotProgram()
    {
        string aot = Path.Combine(ReferenceData.Repository, "artifacts", "vnvdimm", "vnvdimm");
        if (!File.Exists(aot))
        {
            return ExternalTools.Missing($"{aot} is missing: ./scripts/test.sh publishes the Native AOT vnvdimm before the tests");
        }
        string built = typeof(Vnvdimm.Host.Check.ConfigurationCheck).Assembly.Location;
        if (File.GetLastWriteTimeUtc(aot) < File.GetLastWriteTimeUtc(built))
        {
            throw new InvalidOperationException($"{aot} is older than {built}: publish it again (./scripts/test.sh does)");
        }
        return aot;
    }

    private GuestRun Guest()
    {
        GuestRun run = Run.Value;
        output.WriteLine($"guest run: {run.Elapsed.TotalSeconds:0.0} s");
        return run;
    }

    private static (int Status, string Text) Section(GuestRun run, string name) => run.SectionResult(name);

    /// <summary>check --json's report (anything before the JSON is part of the failure message).</summary>
    private static (int Status, JsonObject Report) Check(GuestRun run, string name)
    {
        (int status, string text) = Section(run, $"check-{name}");
        int start = text.IndexOf('{');
        Assert.True(start == 0, $"check {name} printed more than its JSON report:\n{text}");
        return (status, JsonNode.Parse(text)!.AsObject());
    }

    private static JsonObject OnlyDevice(JsonObject report) => Assert.Single(report["devices"]!.AsArray())!.AsObject();

    /// <summary>A `both` section: status, standard error lines, standard output.</summary>
    private static (int Status, string[] Errors, string Output) Both(GuestRun run, string name)
    {
        (int status, string text) = Section(run, name);
        int marker = text.IndexOf("---stdout---\n", StringComparison.Ordinal);
        Assert.True(marker >= 0, $"{name}: no output marker:\n{text}");
        string[] errors = text[..marker].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (status, errors, text[(marker + "---stdout---\n".Length)..]);
    }

    private List<(int Status, string[] Errors)> QemuRunsOf(GuestRun run, string name)
    {
        var runs = Enumerable.Range(1, QemuRuns).Select(r => Both(run, r == 1 ? $"qemu-{name}" : $"qemu-{name}-{r}")).Select(r => (r.Status, r.Errors)).ToList();
        output.WriteLine($"QEMU on {name}: {runs.Count(r => r.Status != 0)} of {QemuRuns} runs failed");
        return runs;
    }

    /// <summary>QEMU's and vnvdimm's stderr lines with their program names taken off.</summary>
    private static string[] Unprefixed(string[] lines, string prefix) =>
        lines.Select(l => l.StartsWith(prefix, StringComparison.Ordinal) ? l[prefix.Length..] : l).ToArray();

    [Fact]
    public void The_guest_has_a_dax_mounted_ext4_a_tmpfs_and_a_device_dax()
    {
        GuestRun run = Guest();
        string setup = run.Section("setup");
        output.WriteLine(setup);
        Assert.Contains("dax0.0\n", setup);
        Assert.Matches(@"/dev/pmem\S* /mnt/dax ext4 \S*dax=always", setup);
        Assert.Contains(" /mnt/tmp tmpfs ", setup);
    }

    [Fact]
    public void A_file_on_the_dax_mount_with_share_and_pmem_is_persistent()
    {
        (int status, JsonObject report) = Check(Guest(), "dax-file");
        JsonObject device = OnlyDevice(report);
        JsonObject store = device["backend"]!["store"]!.AsObject();

        Assert.Equal(0, status);
        Assert.Equal("persistent", (string?)device["verdict"]);
        Assert.Empty(device["reasons"]!.AsArray());
        Assert.Equal(("file", "ext4", true, "works"),
            ((string?)store["kind"], (string?)store["filesystem"], (bool?)store["dax_mount"], (string?)store["map_sync"]));
        Assert.Equal("zeros", (string?)device["label_area"]!["state"]);
    }

    [Theory]
    [InlineData("dax-file-pmem-off", "pmem=off: QEMU maps /mnt/dax/pmem.img without MAP_SYNC")]
    [InlineData("dax-file-share-off", "share=off: guest writes go to a private copy (MAP_PRIVATE) and never reach /mnt/dax/pmem.img")]
    [InlineData("tmpfs-file", "mem-path /mnt/tmp/pmem.img is on tmpfs (/mnt/tmp), which is host RAM")]
    public void Other_files_are_not_guaranteed_with_the_reason(string name, string reason)
    {
        (int status, JsonObject report) = Check(Guest(), name);
        JsonObject device = OnlyDevice(report);

        Assert.Equal(2, status);
        Assert.Equal("not-guaranteed", (string?)device["verdict"]);
        string only = Assert.Single(device["reasons"]!.AsArray().Select(r => (string)r!));
        Assert.StartsWith(reason, only);
    }

    [Fact]
    public void Device_dax_with_its_alignment_is_persistent_and_sized_from_sysfs()
    {
        GuestRun run = Guest();
        long sysfsSize = long.Parse(run.Section("sysfs-size").Trim());
        (int status, JsonObject report) = Check(run, "devdax");
        JsonObject device = OnlyDevice(report);
        JsonObject store = device["backend"]!["store"]!.AsObject();

        Assert.Equal(0, status);
        Assert.Equal("persistent", (string?)device["verdict"]);
        Assert.Equal(("device-dax", sysfsSize, 2L << 20, "works"),
            ((string?)store["kind"], (long?)store["size"], (long?)store["dax_align"], (string?)store["map_sync"]));
    }

    [Theory]
    // Debian's QEMU 7.2 has no libdaxctl align check: the kernel refuses the mapping.
    [InlineData("devdax-align-64k", CannotMap)]
    [InlineData("devdax-no-align", CannotMap)]
    [InlineData("devdax-share-off", CannotMap)]
    [InlineData("devdax-too-big", "backing store size 0x{0:x} does not match 'size' option 0x40000000")]
    public void Device_dax_refusals_are_qemus_own_in_check_and_in_the_machine(string name, string expected)
    {
        GuestRun run = Guest();
        string message = string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, long.Parse(run.Section("sysfs-size").Trim()));
        (int checkStatus, JsonObject report) = Check(run, name);
        (int qemuStatus, string[] qemuErrors, _) = Both(run, $"qemu-{name}");
        (int machineStatus, string[] machineErrors, string machineOutput) = Both(run, $"machine-{name}");
        JsonObject device = OnlyDevice(report);

        // QEMU itself, in the same guest, on the same device.
        if (AddressDependent.Contains(name))
        {
            // Each run either starts (no error) or fails with the message. Which one depends on
            // the address layout (here align=64K starts and no align fails, every time; in other
            // guests 64K failed too), so that some run fails is asserted over both cases.
            foreach ((int status, string[] errors) in QemuRunsOf(run, name))
            {
                Assert.True(status == 0 ? errors.Length == 0 : status == 1 && errors.SequenceEqual([QemuPrefix + message]),
                    $"QEMU exited {status}: {string.Join('\n', errors)}");
            }
            Assert.Contains(AddressDependent.SelectMany(n => QemuRunsOf(run, n)), r => r.Status == 1);
        }
        else
        {
            Assert.Equal(1, qemuStatus);
            Assert.Equal([QemuPrefix + message], qemuErrors);
        }
        Assert.Equal((1, "refused", message, message), (checkStatus, (string?)device["verdict"], (string?)device["refusal"], (string?)report["qemu_error"]));
        Assert.Equal((1, ""), (machineStatus, machineOutput));
        Assert.Equal([VnvdimmPrefix + message], machineErrors);
        if (message == CannotMap)
        {
            // check says why, where QEMU does not.
            Assert.NotEmpty(device["reasons"]!.AsArray());
        }
    }

    [Theory]
    [InlineData("dax-file")]
    [InlineData("dax-file-pmem-off")]
    [InlineData("dax-file-share-off")]
    [InlineData("tmpfs-file")]
    [InlineData("devdax")]
    public void The_machine_starts_where_qemu_starts_with_qemus_warnings(string name)
    {
        GuestRun run = Guest();
        (int qemuStatus, string[] qemuErrors, _) = Both(run, $"qemu-{name}");
        (int machineStatus, string[] machineErrors, string machineOutput) = Both(run, $"machine-{name}");
        output.WriteLine(string.Join('\n', qemuErrors));

        Assert.Equal(0, qemuStatus);
        Assert.Equal(0, machineStatus);
        Assert.Equal(Unprefixed(qemuErrors, QemuPrefix), Unprefixed(machineErrors, VnvdimmPrefix));
        Assert.Contains("\"dev\":\"region0\"", machineOutput.Replace(" ", "").Replace("\n", ""));
        if (name == "tmpfs-file")
        {
            // The seed's silent fallback, which QEMU 7.2 does report on stderr.
            Assert.Contains("warning: Using non DAX backing file with 'pmem=on' option is deprecated", Unprefixed(machineErrors, VnvdimmPrefix));
        }
        else
        {
            Assert.Empty(machineErrors);
        }
    }

    [Theory]
    [InlineData("dax-file", true)]
    [InlineData("dax-file-pmem-off", false)]
    [InlineData("tmpfs-file", false)]
    [InlineData("devdax", true)]
    public void The_machine_maps_with_map_sync_exactly_where_qemu_does(string name, bool mapSync)
    {
        GuestRun run = Guest();
        string Flags(string program)
        {
            (int status, string text) = Section(run, $"live-{program}-{name}");
            Assert.True(status == 0, $"{program} on {name} exited {status}:\n{text}");
            string line = text.Split('\n')[0];
            Assert.True(line.StartsWith("flags: VmFlags:", StringComparison.Ordinal), $"{program} on {name}: no mapping found in smaps:\n{text}");
            output.WriteLine($"{program} {name}: {line}");
            return line;
        }
        bool Sync(string flags) => flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("sf");

        string qemu = Flags("qemu"), vnvdimm = Flags("vnvdimm");

        Assert.Equal(mapSync, Sync(qemu));
        Assert.Equal(mapSync, Sync(vnvdimm));
    }

    [Fact]
    public void Labels_the_guest_writes_through_the_dax_file_are_read_by_check_and_the_image_tool()
    {
        GuestRun run = Guest();
        string created = run.Section("guest-writes-dax-file");
        (int status, JsonObject report) = Check(run, "after-writes");
        JsonObject labelArea = OnlyDevice(report)["label_area"]!.AsObject();
        string image = run.Section("image-after-writes");

        Assert.Contains("\"name\":\"on-dax\"", created.Replace(" ", "").Replace("\n", ""));
        Assert.Equal(0, status);
        Assert.Equal("labels", (string?)labelArea["state"]);
        Assert.Equal("on-dax", (string?)Assert.Single(labelArea["namespaces"]!.AsArray())!["name"]);
        Assert.Contains("\"name\":\"on-dax\"", image.Replace(" ", "").Replace("\n", ""));
    }

    [Fact]
    public void Labels_the_guest_writes_to_device_dax_are_there_on_the_next_run()
    {
        GuestRun run = Guest();
        string created = run.Section("guest-writes-devdax");
        string listed = run.Section("guest-reads-devdax");

        Assert.Contains("\"name\":\"on-devdax\"", created.Replace(" ", "").Replace("\n", ""));
        Assert.Contains("\"name\":\"on-devdax\"", listed.Replace(" ", "").Replace("\n", ""));
        Assert.Contains("\"mode\":\"devdax\"", listed.Replace(" ", "").Replace("\n", ""));
    }
}
