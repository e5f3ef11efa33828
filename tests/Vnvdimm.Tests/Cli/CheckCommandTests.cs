using System.Diagnostics;
using System.Text.Json;
using Vnvdimm.Cli;
using Vnvdimm.Tests.Host.Check;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// `vnvdimm check`: exit status (0 all persistent, 1 refused, 2 some not guaranteed), the
/// table without colour off a terminal, --json, --argv-file in both forms, --pid on a running
/// qemu-system-x86_64, options that are not modelled, and an existing label set's namespaces.
/// </summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly ScratchDirectory scratch = new("vnvdimm-check-");

    public void Dispose() => scratch.Dispose();

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(["check", .. args], new StringReader(string.Empty), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string[] FileNvdimm(string share = "on", string name = "nv.img") =>
        ["-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
         "-object", $"memory-backend-file,id=m1,share={share},mem-path={scratch.File(name)},size=256M", "-device", "nvdimm,id=nv1,memdev=m1,label-size=128K"];

    [Fact]
    public void Not_guaranteed_exits_2_with_a_plain_table_and_the_reasons()
    {
        var (exit, stdout, stderr) = Run(FileNvdimm());

        Assert.Equal((2, string.Empty), (exit, stderr));
        Assert.DoesNotContain("\u001b[", stdout);
        Assert.Contains("nv1: not guaranteed\n", stdout);
        Assert.Contains("\n  - pmem=off: ", stdout);
        Assert.False(File.Exists(scratch.File("nv.img")));
    }

    [Fact]
    public void Refused_exits_1_with_qemus_message()
    {
        // qemu-system-x86_64 7.2: "-device nvdimm,id=nv1,memdev=m1: nvdimm is not enabled: missing 'nvdimm' in '-M'".
        string[] args = [.. FileNvdimm()];
        args[1] = "pc";

        var (exit, stdout, _) = Run(args);

        Assert.Equal(1, exit);
        Assert.Contains($"  QEMU: -device nvdimm,id=nv1,memdev=m1,label-size=128K: nvdimm is not enabled: missing 'nvdimm' in '-M'\n", stdout);
    }

    [Fact]
    public void A_command_line_qemu_refuses_before_any_device_is_one_line_on_stderr()
    {
        var (exit, _, stderr) = Run("-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G", "-frobnicate-no-such", "x", "-object", "memory-backend-ram,id=m1,size=0");

        Assert.Equal(1, exit);
        // qemu-system-x86_64 7.2: "property 'size' of memory-backend-ram doesn't take value '0'".
        Assert.Equal("vnvdimm: property 'size' of memory-backend-ram doesn't take value '0'\n", stderr);
    }

    [Fact]
    public void Persistent_exits_0_through_an_injected_device_dax()
    {
        var host = new FakeBackingStoreInspector().Add(FakeBackingStoreInspector.DaxDevice("/dev/dax0.0", 4L << 30, 2L << 20));
        var stdout = new StringWriter { NewLine = "\n" };
        var lines = new List<string>();

        int exit = CheckCommand.Run(
            ["--json", "-machine", "q35,nvdimm=on", "-m", "1G,slots=2,maxmem=8G",
             "-object", "memory-backend-file,id=m1,share=on,mem-path=/dev/dax0.0,size=4G,align=2M", "-device", "nvdimm,id=nv1,memdev=m1,label-size=128K"],
            stdout, Vnvdimm.Host.Backends.StderrSink.Collect(lines), inspector: host);

        Assert.Equal((0, 0), (exit, lines.Count));
        using JsonDocument json = JsonDocument.Parse(stdout.ToString());
        JsonElement device = json.RootElement.GetProperty("devices")[0];
        Assert.Equal("persistent", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal("device-dax", device.GetProperty("backend").GetProperty("store").GetProperty("kind").GetString());
        Assert.Equal(2L << 20, device.GetProperty("backend").GetProperty("store").GetProperty("dax_align").GetInt64());
    }

    [Fact]
    public void Json_has_the_documented_fields()
    {
        var (exit, stdout, _) = Run(["--json", .. FileNvdimm(share: "off")]);

        Assert.Equal(2, exit);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.Equal((1, "not-guaranteed", 2), (root.GetProperty("schema").GetInt32(), root.GetProperty("verdict").GetString(), root.GetProperty("exit_status").GetInt32()));
        JsonElement device = root.GetProperty("devices")[0];
        Assert.Equal(("nvdimm", "nv1", 0), (device.GetProperty("driver").GetString(), device.GetProperty("id").GetString(), device.GetProperty("slot").GetInt32()));
        Assert.Equal(0x100000000UL, device.GetProperty("address").GetUInt64());
        Assert.Equal((256UL << 20) - 0x20000, device.GetProperty("pmem_size").GetUInt64());
        Assert.Equal((256UL << 20) - 0x20000, device.GetProperty("label_offset").GetUInt64());
        Assert.Equal(3, device.GetProperty("reasons").GetArrayLength());
        JsonElement backend = device.GetProperty("backend");
        Assert.Equal((false, false, "missing"), (backend.GetProperty("share").GetBoolean(), backend.GetProperty("pmem").GetBoolean(), backend.GetProperty("store").GetProperty("kind").GetString()));
        Assert.Equal((4UL, 1UL), (root.GetProperty("machine").GetProperty("slots").GetUInt64(), root.GetProperty("machine").GetProperty("slots_used").GetUInt64()));
    }

    [Fact]
    public void Argv_file_one_argument_per_line()
    {
        string file = scratch.File("args.txt");
        File.WriteAllLines(file, FileNvdimm());

        var (exit, stdout, _) = Run("--json", "--argv-file", file);

        Assert.Equal(2, exit);
        Assert.Equal("nv1", JsonDocument.Parse(stdout).RootElement.GetProperty("devices")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void Argv_file_as_one_shell_quoted_line_with_its_program()
    {
        string file = scratch.File("args.sh");
        File.WriteAllText(file,
            $"LC_ALL=C /usr/bin/qemu-system-x86_64 -machine 'pc,nvdimm=on' -m \"512M,slots=4,maxmem=4G\" -object '{{\"qom-type\":\"memory-backend-file\",\"id\":\"m1\",\"mem-path\":\"{scratch.File("nv.img")}\",\"share\":true,\"size\":268435456}}' -device '{{\"driver\":\"nvdimm\",\"id\":\"nv1\",\"memdev\":\"m1\"}}' -chardev socket,id=charmonitor,fd=3,server=on,wait=off\n");

        var (exit, stdout, _) = Run("--json", "--argv-file", file);

        Assert.Equal(2, exit);
        JsonElement root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("nv1", root.GetProperty("devices")[0].GetProperty("id").GetString());
        Assert.Equal("skipped: -chardev socket,id=charmonitor,fd=3,server=on,wait=off: not modelled", root.GetProperty("skipped")[0].GetString());
    }

    [Fact]
    public void Devices_and_options_not_modelled_are_noted_and_skipped()
    {
        var (exit, stdout, stderr) = Run([.. FileNvdimm(), "-device", "virtio-net-pci,netdev=n0", "-netdev", "user,id=n0", "-no-user-config", "-name", "g"]);

        Assert.Equal((2, string.Empty), (exit, stderr));
        Assert.EndsWith(
            "skipped: -device virtio-net-pci,netdev=n0: not modelled\nskipped: -netdev user,id=n0: not modelled\nskipped: -no-user-config: not modelled\nskipped: -name g: not modelled\n",
            stdout);
    }

    [Fact]
    public void Pid_reads_the_command_line_of_a_running_qemu()
    {
        string qemu = ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
        string image = scratch.File("running.img");
        var start = new ProcessStartInfo(qemu, ["-S", "-display", "none", "-nodefaults", "-monitor", "none", .. FileNvdimm(name: "running.img")])
        {
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        try
        {
            // QEMU has created the backend once it is up.
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(image) && deadline.Elapsed < TimeSpan.FromSeconds(20) && !process.HasExited)
            {
                Thread.Sleep(50);
            }
            Assert.False(process.HasExited, process.HasExited ? process.StandardError.ReadToEnd() : null);

            var (exit, stdout, _) = Run("--json", "--pid", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.Equal(2, exit);
            JsonElement device = JsonDocument.Parse(stdout).RootElement.GetProperty("devices")[0];
            Assert.Equal(("nv1", "file", image), (device.GetProperty("id").GetString(),
                device.GetProperty("backend").GetProperty("store").GetProperty("kind").GetString(), device.GetProperty("backend").GetProperty("mem_path").GetString()));
            // The file QEMU created is empty of labels: zeros.
            Assert.Equal("zeros", device.GetProperty("label_area").GetProperty("state").GetString());
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    [Fact]
    public void Pid_of_no_process_is_one_line()
    {
        var (exit, stdout, stderr) = Run("--pid", "2147483647");

        Assert.Equal((1, string.Empty, "vnvdimm: check: --pid 2147483647: No such process\n"), (exit, stdout, stderr));
    }

    [Fact]
    public void An_existing_label_set_lists_its_namespaces()
    {
        string image = scratch.File("nv.img");
        var output = new StringWriter();
        Assert.Equal(0, VnvdimmProgram.Run(["image", image, "--size", "256M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"], new StringReader(""), output, output));
        Assert.Equal(0, VnvdimmProgram.Run(["image", image, "--label-size", "128K", "--", "ndctl", "create-namespace", "-m", "fsdax", "-s", "64M", "-n", "data"], new StringReader(""), output, output));
        var list = new StringWriter();
        Assert.Equal(0, VnvdimmProgram.Run(["image", image, "--label-size", "128K", "--", "ndctl", "list", "-N"], new StringReader(""), list, list));
        JsonElement listed = JsonDocument.Parse(list.ToString()).RootElement;
        listed = listed.ValueKind == JsonValueKind.Array ? listed[0] : listed;
        string before = ScratchDirectory.Fingerprint(image).Sha256;

        var (exit, stdout, _) = Run(["--json", .. FileNvdimm()]);

        Assert.Equal(2, exit);
        JsonElement area = JsonDocument.Parse(stdout).RootElement.GetProperty("devices")[0].GetProperty("label_area");
        Assert.Equal("labels", area.GetProperty("state").GetString());
        JsonElement ns = Assert.Single(area.GetProperty("namespaces").EnumerateArray());
        Assert.Equal(("namespace0.0", "fsdax", "data"), (ns.GetProperty("dev").GetString(), ns.GetProperty("mode").GetString(), ns.GetProperty("name").GetString()));
        // The same namespace, uuid and size as ndctl list -N shows for the image.
        Assert.Equal(listed.GetProperty("size").GetUInt64(), ns.GetProperty("size").GetUInt64());
        Assert.Equal(listed.GetProperty("uuid").GetString(), ns.GetProperty("uuid").GetString());
        Assert.Equal(before, ScratchDirectory.Fingerprint(image).Sha256);
    }

    [Fact]
    public void A_label_less_nvdimm_shows_the_mode_its_info_block_gives()
    {
        string image = scratch.File("nv.img");
        var output = new StringWriter();
        Assert.Equal(0, VnvdimmProgram.Run(["image", image, "--size", "256M", "--label-size", "0", "--", "ndctl", "create-namespace", "-f", "-e", "namespace0.0", "-m", "devdax"], new StringReader(""), output, output));
        JsonElement created = JsonDocument.Parse(output.ToString()[..(output.ToString().LastIndexOf('}') + 1)]).RootElement;
        string before = ScratchDirectory.Fingerprint(image).Sha256;
        string[] args = ["-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
            "-object", $"memory-backend-file,id=m1,share=on,mem-path={image},size=256M", "-device", "nvdimm,id=nv1,memdev=m1"];

        var (exit, stdout, _) = Run(["--json", .. args]);
        var (_, table, _) = Run(args);

        Assert.Equal(2, exit);
        JsonElement area = JsonDocument.Parse(stdout).RootElement.GetProperty("devices")[0].GetProperty("label_area");
        Assert.Equal("none", area.GetProperty("state").GetString());
        JsonElement ns = Assert.Single(area.GetProperty("namespaces").EnumerateArray());
        Assert.Equal(("namespace0.0", "devdax", created.GetProperty("uuid").GetString()),
            (ns.GetProperty("dev").GetString(), ns.GetProperty("mode").GetString(), ns.GetProperty("uuid").GetString()));
        Assert.Contains($"\n  label-less namespace: namespace0.0 devdax ", table);
        Assert.Equal(before, ScratchDirectory.Fingerprint(image).Sha256);
    }
}
