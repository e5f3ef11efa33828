using System.Text;
using System.Text.Json.Nodes;
using Vnvdimm.Tests.Ndctl;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Interop;

/// <summary>
/// vnvdimm's offline ndctl against a real Linux 6.1 guest with ndctl under QEMU 7.2: namespaces
/// made by one side must be seen by the other exactly (uuid, name, mode, size, data), including
/// a namespace reconfigured with -e and one disabled and then destroyed without --force.
/// One boot per direction; both tests sit in one class so the boots do not overlap.
/// </summary>
public sealed class LinuxInteropTests(ITestOutputHelper output)
{
    private const string ImageSize = "512M";
    private static readonly string[] Modes = ["raw", "fsdax", "devdax", "sector"];

    private static NdctlHarness.Result Vnvdimm(string image, params string[] args) =>
        NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", .. args]);

    private static Guid FixedUuid(int direction, int index) => new($"5eed{direction:x4}-0000-4000-8000-{index + 1:x12}");

    /// <summary>A JSON array of namespaces keyed by name (dev numbering may differ between the sides).</summary>
    private static Dictionary<string, JsonObject> ByName(string json) =>
        JsonNode.Parse(json)!.AsArray().Select(n => n!.AsObject()).ToDictionary(o => (string)o["name"]!);

    private static JsonObject LabelNamed(string readLabelsJson, string name) =>
        JsonNode.Parse(readLabelsJson)!.AsArray()[0]!["label"]!.AsArray().Select(l => l!.AsObject()).Single(l => (string)l["name"]! == name);

    /// <summary>
    /// Every namespace object equal, field for field (uuid, name, mode, size, dev, blockdev, align…).
    /// The array order is not compared: Linux lists a region's namespaces in sysfs directory order
    /// (namespace0.2, 0.1, 0.3, 0.0 for four), vnvdimm by descending index; that mismatch is logged.
    /// </summary>
    private void AssertSameNamespaces(string expectedJson, string actualJson, string what)
    {
        Dictionary<string, JsonObject> expected = ByName(expectedJson), actual = ByName(actualJson);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach ((string name, JsonObject e) in expected)
        {
            Assert.True(JsonNode.DeepEquals(e, actual[name]), $"{what}: namespace {name}: expected {e.ToJsonString()}, got {actual[name].ToJsonString()}");
        }
        string Order(string json) => string.Join(", ", JsonNode.Parse(json)!.AsArray().Select(n => (string)n!["dev"]!));
        if (Order(expectedJson) != Order(actualJson))
        {
            output.WriteLine($"{what}: same namespaces, different order: expected {Order(expectedJson)}; got {Order(actualJson)}");
        }
    }

    private static string DeviceNamed(string listJson, string name) => (string)ByName(listJson)[name]["dev"]!;

    /// <summary>A machine whose one NVDIMM is <paramref name="image"/>, for the built-in guest's console.</summary>
    private static string[] ConsoleMachine(string image) =>
    [
        "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
        "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size={ImageSize}",
        "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
        "-guest-folder", Path.GetDirectoryName(image)!,
    ];

    private static byte[] ReadAt(string path, long offset, int length)
    {
        using FileStream stream = File.OpenRead(path);
        stream.Seek(offset, SeekOrigin.Begin);
        byte[] bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    [Fact]
    public void Namespaces_made_by_vnvdimm_are_seen_by_linux()
    {
        LinuxGuest guest = LinuxGuest.Get();
        using var scratch = new ScratchDirectory("vnvdimm-interop-");
        string image = scratch.File("to-linux.img");
        NdctlHarness.Result init = NdctlHarness.Image([image, "--size", ImageSize, "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"]);
        Assert.Equal((0, "initialized 1 nmem\n"), (init.Status, init.Error));
        for (int i = 0; i < Modes.Length; i++)
        {
            NdctlHarness.Result created = Vnvdimm(image, "create-namespace", "-r", "region0", "-m", Modes[i], "-s", "64M", "-n", $"vnv-{Modes[i]}", "-u", FixedUuid(1, i).ToString());
            Assert.True(created.Status == 0, $"create-namespace -m {Modes[i]}: {created.Error}");
        }
        // Reconfigure (the seed's `create-namespace -f -e`) and, in the built-in guest, disable a
        // namespace and destroy it without --force: Linux must see the reconfigured one and not the other.
        Assert.Equal(0, Vnvdimm(image, "create-namespace", "-r", "region0", "-m", "raw", "-s", "64M", "-n", "vnv-reconf").Status);
        Assert.Equal(0, Vnvdimm(image, "create-namespace", "-r", "region0", "-m", "raw", "-s", "64M", "-n", "vnv-gone").Status);
        string reconf = DeviceNamed(Vnvdimm(image, "list", "-N").Text, "vnv-reconf");
        NdctlHarness.Result reconfigured = Vnvdimm(image, "create-namespace", "-f", "-e", reconf, "-m", "fsdax");
        Assert.True(reconfigured.Status == 0, $"create-namespace -e {reconf}: {reconfigured.Error}");
        string gone = DeviceNamed(Vnvdimm(image, "list", "-N").Text, "vnv-gone");
        (int consoleExit, _, string consoleErrors) = Guest.GuestReferenceCases.RunConsole(ConsoleMachine(image),
            $"ndctl disable-namespace {gone}", $"ndctl destroy-namespace {gone}");
        Assert.Equal((0, "disabled 1 namespace\ndestroyed 1 namespace\n"), (consoleExit, consoleErrors));

        NdctlHarness.Result list = Vnvdimm(image, "list", "-N");
        Assert.Equal(0, list.Status);
        NdctlHarness.Result labels = Vnvdimm(image, "read-labels", "-j", "nmem0");
        Assert.Equal(0, labels.Status);

        // The raw namespace has no info block: its data starts at its label's DPA, which is the file offset.
        byte[] marker = Encoding.ASCII.GetBytes("vnvdimm-wrote-this-for-linux");
        long dpa = (long)LabelNamed(labels.Text, "vnv-raw")["dpa"]!;
        using (var stream = new FileStream(image, FileMode.Open, FileAccess.Write))
        {
            stream.Seek(dpa, SeekOrigin.Begin);
            stream.Write(marker);
        }

        GuestRun run = guest.Boot(image, """
            section list ndctl list -N
            section labels sh -c "ndctl read-labels -j nmem0 2>/dev/null"
            for d in /sys/block/pmem*; do n=${d##*/}; section head-$n sh -c "dd if=/dev/$n bs=64 count=1 2>/dev/null | od -An -v -tx1"; done
            """, scratch.Path);
        output.WriteLine($"boot took {run.Elapsed.TotalSeconds:F1} s");
        string linuxList = run.Section("list");
        output.WriteLine("Linux: ndctl list -N\n" + linuxList);
        output.WriteLine("vnvdimm: ndctl list -N\n" + list.Text);

        Dictionary<string, JsonObject> linux = ByName(linuxList);
        AssertSameNamespaces(list.Text, linuxList, "Linux's view of vnvdimm's namespaces");
        Assert.Equal(FixedUuid(1, 0).ToString(), (string)linux["vnv-raw"]["uuid"]!);
        Assert.Equal(Modes.Select(m => $"vnv-{m}").Append("vnv-reconf").Order(), linux.Keys.Order());
        Assert.All(Modes, m => Assert.Equal(m, (string)linux[$"vnv-{m}"]["mode"]!));
        Assert.Equal("fsdax", (string)linux["vnv-reconf"]["mode"]!);

        string rawDevice = (string)linux["vnv-raw"]["blockdev"]!;
        Assert.Equal(marker, run.HexSection($"head-{rawDevice}")[..marker.Length]);

        // The label area as Linux decodes it equals vnvdimm's decoding.
        Assert.Equal(labels.Text, run.Section("labels"));
    }

    [Fact]
    public void Label_less_namespaces_vnvdimm_reconfigured_are_seen_by_linux()
    {
        LinuxGuest guest = LinuxGuest.Get();
        using var scratch = new ScratchDirectory("vnvdimm-interop-");
        string[] modes = ["fsdax", "devdax", "sector"];
        var machine = new List<string> { "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G" };
        var expected = new Dictionary<string, JsonObject>();
        for (int i = 0; i < modes.Length; i++)
        {
            // QEMU's default NVDIMM: no label-size, one label-less namespace rewritten in place.
            string image = scratch.File($"labelless-{modes[i]}.img");
            NdctlHarness.Result created = NdctlHarness.Image(
                [image, "--size", "256M", "--label-size", "0", "--", "ndctl", "create-namespace", "-f", "-e", "namespace0.0", "-m", modes[i]]);
            Assert.True(created.Status == 0, $"-m {modes[i]}: {created.Error}");
            JsonObject listed = JsonNode.Parse(NdctlHarness.Image([image, "--label-size", "0", "--", "ndctl", "list", "-N"]).Text)!.AsArray().Single()!.AsObject();
            expected[(string)listed["uuid"]!] = listed;
            machine.AddRange(["-object", $"memory-backend-file,id=mem{i},share=on,mem-path={image},size=256M", "-device", $"nvdimm,id=nvdimm{i},memdev=mem{i}"]);
        }

        GuestRun run = guest.Boot(machine, "section list ndctl list -N", scratch.Path);
        Dictionary<string, JsonObject> linux = JsonNode.Parse(run.Section("list"))!.AsArray()
            .Select(n => n!.AsObject()).ToDictionary(o => (string)o["uuid"]!);

        Assert.Equal(expected.Keys.Order(), linux.Keys.Order());
        foreach ((string uuid, JsonObject namespaceJson) in expected)
        {
            // Device names follow the region each NVDIMM became; everything else must be equal.
            JsonObject theirs = (JsonObject)linux[uuid].DeepClone(), ours = (JsonObject)namespaceJson.DeepClone();
            foreach (JsonObject o in new[] { theirs, ours })
            {
                o.Remove("dev");
                o.Remove("blockdev");
                o.Remove("chardev");
            }
            Assert.True(JsonNode.DeepEquals(ours, theirs), $"{uuid}: vnvdimm {ours.ToJsonString()}, Linux {theirs.ToJsonString()}");
        }
    }

    [Fact]
    public void Namespaces_made_by_linux_are_seen_by_vnvdimm()
    {
        LinuxGuest guest = LinuxGuest.Get();
        using var scratch = new ScratchDirectory("vnvdimm-interop-");
        string image = scratch.File("from-linux.img");
        using (var file = new FileStream(image, FileMode.CreateNew))
        {
            file.SetLength(512L << 20); // sparse, like a fresh QEMU backend file
        }
        const string marker = "linux-wrote-this-for-vnvdimm";
        var commands = new StringBuilder("""
            ndctl disable-region all >/dev/null 2>&1
            section init ndctl init-labels -f nmem0
            section enable ndctl enable-region all

            """);
        for (int i = 0; i < Modes.Length; i++)
        {
            commands.Append($"section create-{Modes[i]} ndctl create-namespace -r region0 -m {Modes[i]} -s 64M -n lx-{Modes[i]} -u {FixedUuid(2, i)}\n");
            if (Modes[i] == "raw")
            {
                commands.Append("cp /tmp/out /tmp/raw.json\n");
            }
        }
        // Reconfigure one namespace to devdax, and disable another then destroy it without --force.
        commands.Append("""
            section create-reconf ndctl create-namespace -r region0 -m raw -s 64M -n lx-reconf
            reconf=$(sed -n 's/.*"dev":"\(namespace[^"]*\)".*/\1/p' /tmp/out | head -1)
            section reconf ndctl create-namespace -f -e $reconf -m devdax
            section create-gone ndctl create-namespace -r region0 -m raw -s 64M -n lx-gone
            gone=$(sed -n 's/.*"dev":"\(namespace[^"]*\)".*/\1/p' /tmp/out | head -1)
            section disable ndctl disable-namespace $gone
            section destroy ndctl destroy-namespace $gone

            """);
        commands.Append($"""
            dev=$(sed -n 's/.*"blockdev":"\([^"]*\)".*/\1/p' /tmp/raw.json)
            printf '%s' '{marker}' > /tmp/marker
            section write sh -c "dd if=/tmp/marker of=/dev/$dev bs=512 count=1 conv=sync 2>/dev/null && sync"
            section list ndctl list -N
            section labels sh -c "ndctl read-labels -j nmem0 2>/dev/null"
            """);

        GuestRun run = guest.Boot(image, commands.ToString(), scratch.Path);
        output.WriteLine($"boot took {run.Elapsed.TotalSeconds:F1} s");
        string linuxList = run.Section("list");
        NdctlHarness.Result list = Vnvdimm(image, "list", "-N");
        output.WriteLine("Linux: ndctl list -N\n" + linuxList);
        output.WriteLine($"vnvdimm: ndctl list -N (status {list.Status})\n{list.Text}{list.Error}");
        Assert.Equal(0, list.Status);

        Dictionary<string, JsonObject> linux = ByName(linuxList);
        Assert.Equal(Modes.Select(m => $"lx-{m}").Append("lx-reconf").Order(), linux.Keys.Order());
        Assert.Equal("devdax", (string)linux["lx-reconf"]["mode"]!);
        AssertSameNamespaces(linuxList, list.Text, "vnvdimm's view of Linux's namespaces");

        NdctlHarness.Result labels = Vnvdimm(image, "read-labels", "-j", "nmem0");
        Assert.Equal(0, labels.Status);
        Assert.Equal(run.Section("labels"), labels.Text);

        long dpa = (long)LabelNamed(labels.Text, "lx-raw")["dpa"]!;
        Assert.Equal(marker, Encoding.ASCII.GetString(ReadAt(image, dpa, marker.Length)));
    }
}
