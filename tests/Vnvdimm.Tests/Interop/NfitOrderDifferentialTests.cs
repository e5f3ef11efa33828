using System.Text.Json.Nodes;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.Guest;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Interop;

/// <summary>
/// Generated multi-NVDIMM machines (ids, anonymous devices, label sizes, sizes, slots from a fixed
/// seed) booted under QEMU 7.2 with the Linux 6.1 guest: the NFIT Linux holds equals vnvdimm's
/// byte for byte (QEMU's QOM-tree order), and vnvdimm's guest numbers regions and DIMMs as Linux.
/// </summary>
public sealed class NfitOrderDifferentialTests(ITestOutputHelper output)
{
    private const int Seed = 7211;
    private const int Machines = 3;

    private static List<string> Generate(Random random, string directory, int index)
    {
        int count = random.Next(2, 6);
        List<string> args = ["-machine", "pc,nvdimm=on", "-m", $"512M,slots={count + random.Next(0, 3)},maxmem=8G"];
        var ids = new HashSet<string>();
        for (int i = 0; i < count; i++)
        {
            string sizeMiB = (128 * random.Next(1, 3)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            args.AddRange(["-object", $"memory-backend-file,id=m{i},share=on,mem-path={Path.Combine(directory, $"g{index}-{i}.img")},size={sizeMiB}M"]);
            string device = $"nvdimm,memdev=m{i}";
            if (random.Next(3) != 0)
            {
                // Short ids from a small alphabet collide in GLib's table as real names do.
                string id;
                do
                {
                    id = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => "abnvdim0123456789"[random.Next(17)]));
                }
                while (!char.IsLetter(id[0]) || !ids.Add(id));
                device += $",id={id}";
            }
            if (random.Next(2) == 0)
            {
                device += ",label-size=128K";
            }
            args.AddRange(["-device", device]);
        }
        return args;
    }

    [Fact]
    public void Linux_sees_vnvdimms_nfit_and_numbers_regions_as_vnvdimms_guest()
    {
        LinuxGuest guest = LinuxGuest.Get();
        var random = new Random(Seed);
        int reordered = 0;
        for (int index = 0; index < Machines; index++)
        {
            using var scratch = new ScratchDirectory("vnvdimm-nfit-order-");
            List<string> machine = Generate(random, scratch.Path, index);
            output.WriteLine(string.Join(' ', machine));
            GuestRun run = guest.Boot(machine, """
                section nfit sh -c "od -An -v -tx1 /sys/firmware/acpi/tables/NFIT"
                section list ndctl list -DRi
                """, scratch.Path);

            string tables = scratch.File("tables");
            (int acpiExit, _, string acpiErrors) = GuestReferenceCases.RunConsole(["acpi", .. machine, "--out", tables]);
            Assert.Equal((0, ""), (acpiExit, acpiErrors));
            Assert.Equal(run.HexSection("nfit"), File.ReadAllBytes(Path.Combine(tables, "NFIT")));

            foreach (string image in Directory.EnumerateFiles(scratch.Path, "*.img"))
            {
                File.Delete(image);
            }
            (int exit, string ours, _) = GuestReferenceCases.RunConsole([.. machine], "ndctl list -DRi");
            Assert.Equal(0, exit);
            Assert.Equal(Mapping(run.Section("list")), Mapping(ours));

            using VirtualMachine built = VirtualMachine.Create([.. machine], StderrSink.Collect(new List<string>()));
            reordered += built.NvdimmsInQomOrder.Select(d => d.Slot).SequenceEqual(built.Nvdimms.Select(d => d.Slot)) ? 0 : 1;
        }
        // The seed is chosen so that QOM order and slot order differ somewhere: otherwise this
        // comparison could not tell the two apart.
        Assert.True(reordered > 0, "no generated machine lists its NVDIMMs out of slot order");
    }

    /// <summary>Each region's name with the DIMM (name and handle) it maps.</summary>
    private static List<string> Mapping(string listJson)
    {
        JsonNode root = JsonNode.Parse(listJson)!;
        JsonArray regions = root is JsonObject o ? o["regions"]!.AsArray() : root.AsArray();
        return [.. regions.Select(r => $"{r!["dev"]}: " + string.Join(",", r["mappings"]!.AsArray().Select(m => (string)m!["dimm"]!)))
            .Order(StringComparer.Ordinal)];
    }
}
