using System.Globalization;
using System.Text.Json;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Machine;

/// <summary>
/// For each QEMU 7.2 capture in shared/reference/qemu-7.2, builds the machine from its
/// qemu-args.txt (backend files in a scratch folder) and checks that "info memory-devices" shows
/// every NVDIMM at the address, slot, node and size the captured NFIT gives it (SPA base and
/// length, handle = slot + 1, proximity domain).
/// </summary>
public sealed class ReferencePlacementTests
{
    public static TheoryData<string> Cases() => ["s1", "s2", "s3", "s4", "lab", "hotplug"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Info_memory_devices_matches_the_reference_nfit(string name)
    {
        string folder = ReferenceData.Case(name);
        IReadOnlyList<ReferenceNfit.Dimm> expected = ReferenceNfit.Read(Path.Combine(folder, "NFIT"));
        Assert.NotEmpty(expected);
        using var scratch = new ScratchDirectory();
        var stderr = new List<string>();
        using VirtualMachine machine = VirtualMachine.Create(ReadArguments(folder, scratch.Path), StderrSink.Collect(stderr, "vnvdimm"));

        IReadOnlyList<Dictionary<string, string>> shown = ParseInfoMemoryDevices(HumanMonitor.FormatMemoryDevices(machine.DeviceMemory.Devices));
        Assert.Equal(expected.Count, shown.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            ReferenceNfit.Dimm dimm = expected[i];
            Dictionary<string, string> device = shown[i];
            Assert.Equal($"0x{dimm.Base:x}", device["addr"]);
            Assert.Equal(dimm.Slot.ToString(CultureInfo.InvariantCulture), device["slot"]);
            Assert.Equal(dimm.ProximityDomain.ToString(CultureInfo.InvariantCulture), device["node"]);
            Assert.Equal(dimm.Length.ToString(CultureInfo.InvariantCulture), device["size"]);
        }
    }

    [Fact]
    public void Hot_plugged_nvdimm_lands_where_qemu_put_it()
    {
        // hotplug/qmp-commands.jsonl: object-add mem2 (256 MiB file) then device_add nvdimm2 with a 128 KiB label.
        string folder = ReferenceData.Case("hotplug");
        using var scratch = new ScratchDirectory();
        using VirtualMachine machine = VirtualMachine.Create(ReadArguments(folder, scratch.Path), StderrSink.Collect(new List<string>(), "vnvdimm"));
        machine.AddObject("object_add", QemuOpts.Parse($"memory-backend-file,id=mem2,share=on,mem-path={scratch.File("hpb.img")},size=268435456", "qom-type"));
        MemoryDevice device = MemoryDeviceFactory.Create(
            QemuOpts.Parse("nvdimm,id=nvdimm2,memdev=mem2,label-size=131072", "driver"), machine.FindBackend, id => machine.MemoryDevices.Any(d => d.Id == id));
        machine.PlugMemoryDevice(device, hotplug: true);

        // The query-memory-devices reply in hotplug/qmp.log.
        JsonElement reply = File.ReadLines(Path.Combine(folder, "qmp.log"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .First(json => json.TryGetProperty("return", out JsonElement r) && r.ValueKind == JsonValueKind.Array && r.GetArrayLength() > 0)
            .GetProperty("return");
        IReadOnlyList<Dictionary<string, string>> shown = ParseInfoMemoryDevices(HumanMonitor.FormatMemoryDevices(machine.DeviceMemory.Devices));
        Assert.Equal(reply.GetArrayLength(), shown.Count);
        for (int i = 0; i < shown.Count; i++)
        {
            JsonElement data = reply[i].GetProperty("data");
            Assert.Equal($"0x{data.GetProperty("addr").GetUInt64():x}", shown[i]["addr"]);
            Assert.Equal(data.GetProperty("slot").GetInt32().ToString(CultureInfo.InvariantCulture), shown[i]["slot"]);
            Assert.Equal(data.GetProperty("node").GetInt32().ToString(CultureInfo.InvariantCulture), shown[i]["node"]);
            Assert.Equal(data.GetProperty("size").GetUInt64().ToString(CultureInfo.InvariantCulture), shown[i]["size"]);
            Assert.Equal(data.GetProperty("memdev").GetString(), shown[i]["memdev"]);
            Assert.Equal(data.GetProperty("hotplugged").GetBoolean() ? "true" : "false", shown[i]["hotplugged"]);
            Assert.Equal($"\"{data.GetProperty("id").GetString()}\"", shown[i]["id"]);
        }
    }

    /// <summary>qemu-args.txt as an argument vector, mem-path=X moved into <paramref name="directory"/>; a trailing "(remark)" is dropped.</summary>
    public static string[] ReadArguments(string folder, string directory)
    {
        string text = File.ReadAllText(Path.Combine(folder, "qemu-args.txt"));
        int remark = text.IndexOf('(', StringComparison.Ordinal);
        if (remark >= 0)
        {
            text = text[..remark];
        }
        return text.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Select(arg => System.Text.RegularExpressions.Regex.Replace(arg, "mem-path=([^,]+)", m => $"mem-path={Path.Combine(directory, Path.GetFileName(m.Groups[1].Value))}"))
            .ToArray();
    }

    /// <summary>Splits "info memory-devices" text into one field map per device ("id" holds the quoted id).</summary>
    public static IReadOnlyList<Dictionary<string, string>> ParseInfoMemoryDevices(string text)
    {
        var devices = new List<Dictionary<string, string>>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("Memory device [", StringComparison.Ordinal))
            {
                devices.Add(new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["kind"] = line[15..line.IndexOf(']', StringComparison.Ordinal)],
                    ["id"] = line[(line.IndexOf("]: ", StringComparison.Ordinal) + 3)..],
                });
                continue;
            }
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            devices[^1][line[..colon].Trim()] = line[(colon + 2)..];
        }
        return devices;
    }
}
