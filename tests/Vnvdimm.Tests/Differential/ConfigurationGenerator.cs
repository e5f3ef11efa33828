using System.Globalization;

namespace Vnvdimm.Tests.Differential;

/// <summary>
/// Seeded random QEMU command lines over the dimensions that decide configuration errors and
/// placement: machine type and properties (sometimes over several -M), -m size/slots/maxmem,
/// -cpu model and phys-bits, backends (file/ram/memfd; new, existing, too small or directory
/// paths; align; readonly), -numa nodes, and -device nvdimm/pc-dimm (slot, addr, node,
/// label-size, unarmed, ids). About half the cases are built to be valid (placement, RAM split,
/// AMD relocation); the others carry one to three faults drawn from the checks QEMU makes, so
/// that both the messages and the order of the checks are exercised.
/// </summary>
public sealed class ConfigurationGenerator(int seed)
{
    private const ulong MiB = 1UL << 20;
    private const ulong GiB = 1UL << 30;

    private readonly Random _random = new(seed);

    private static readonly string[] RamSizes = ["128M", "512M", "1G", "1536M", "2G", "2816M", "3G", "3584M", "4G", "5G", "1024", "2.5G", "0x40000000", "768M"];

    private static readonly string[] Faults =
    [
        "m-maxmem-below", "m-maxmem-equal", "m-slots-no-maxmem", "m-slots-257", "m-maxmem-unaligned", "m-syntax", "m-maxmem-huge", "m-phys-bits",
        "M-short-nvdimm", "M-nvdimm-off", "M-persistence", "M-type", "M-oem-id", "M-oem-table-id", "M-unknown", "M-below-4g", "M-acpi-off", "M-bool",
        "cpu-model", "cpu-phys-bits", "cpu-plus", "cpu-32bit",
        "obj-size0", "obj-dup-id", "obj-bad-id", "obj-pc-ram", "obj-existing-smaller", "obj-missing-dir", "obj-align", "obj-unknown", "obj-bad-size", "obj-readonly",
        "numa-memdev", "numa-missing-node", "numa-total", "numa-dup", "numa-dist",
        "dev-busy", "dev-memdev-missing", "dev-memdev-none", "dev-slot-busy", "dev-slot-range", "dev-no-slots", "dev-too-many", "dev-addr-unaligned",
        "dev-addr-range", "dev-addr-conflict", "dev-node", "dev-label-small", "dev-label-large", "dev-unarmed", "dev-uuid", "dev-unknown", "dev-driver",
        "dev-dup-id", "dev-maxmem-exhausted", "dev-pcdimm-unaligned", "dev-nvdimm-off", "dev-bad-id", "dev-slot-syntax",
    ];

    private sealed class Backend
    {
        public required string Id;
        public required string Type;
        public required string Size;
        public string? Path;
        public string? Align;
        public string? Share;
        public bool ReadOnly;
        public bool Prealloc;
        public string? Extra;
    }

    private sealed class Device
    {
        public required string Driver;
        public string? Memdev;
        public string? Id;
        public string? Slot;
        public string? Addr;
        public string? Node;
        public string? LabelSize;
        public string? Unarmed;
        public string? Extra;
    }

    public DifferentialCase Next(int index)
    {
        var files = new List<(string, long)>();
        bool clean = _random.NextDouble() < 0.5;
        var faults = new HashSet<string>();
        if (!clean)
        {
            int count = Weighted((1, 70), (2, 22), (3, 8));
            while (faults.Count < count)
            {
                faults.Add(Pick(Faults));
            }
        }
        bool Has(string fault) => faults.Contains(fault);

        // Machine.
        string type = Has("M-type") ? Pick(["pc-i440fx-9.9", "isapc-x", "virt"]) : Weighted(("pc", 45), ("q35", 35), ("pc-i440fx-7.2", 10), ("pc-q35-7.2", 10));
        bool q35 = type.Contains("q35", StringComparison.Ordinal);
        var machineProps = new List<string>();
        ulong? maxBelow = null;
        if (Chance(0.15))
        {
            string below = Pick(["1G", "2G", "3G", "2560M"]);
            maxBelow = ParseSize(below);
            machineProps.Add($"max-ram-below-4g={below}");
        }
        if (Chance(0.2)) machineProps.Add("nvdimm-persistence=" + Pick(["cpu", "mem-ctrl"]));
        if (Chance(0.05)) machineProps.Add("x-oem-id=" + Pick(["ABCDEF", "VNV"]));
        if (Chance(0.05)) machineProps.Add(Pick(["mem-merge=off", "dump-guest-core=off", "mem-merge=on"]));
        if (Has("M-persistence")) machineProps.Add("nvdimm-persistence=" + Pick(["ram", "", "CPU"]));
        if (Has("M-oem-id")) machineProps.Add("x-oem-id=ABCDEFG");
        if (Has("M-oem-table-id")) machineProps.Add("x-oem-table-id=ABCDEFGHI");
        if (Has("M-unknown")) machineProps.Add(Pick(["foo=1", "nvdimm.x=1", "1a=1", "hpet=maybe", "smm=x"]));
        if (Has("M-below-4g")) machineProps.Add("max-ram-below-4g=" + Pick(["5G", "x", "4097M"]));
        if (Has("M-acpi-off")) machineProps.Add("acpi=off");

        // Memory.
        string ramText = Pick(RamSizes);
        ulong ram = ParseRam(ramText);
        int slots = Weighted((2, 25), (3, 15), (4, 30), (8, 20), (16, 10));
        ulong maxmem = ram + Weighted((2 * GiB, 30), (4 * GiB, 30), (8 * GiB, 20), (16 * GiB, 10), (512 * MiB, 10));

        // CPU.
        string? cpu = null;
        bool bigAddressSpace = false;
        if (Chance(0.3))
        {
            cpu = Pick(["qemu64,phys-bits=48", "kvm64,phys-bits=48", "EPYC,phys-bits=44", "max,phys-bits=44", "qemu64,phys-bits=41", "kvm64"]);
            if (cpu.Contains("phys-bits=4", StringComparison.Ordinal) && !cpu.EndsWith("41", StringComparison.Ordinal) && Chance(0.6))
            {
                // Big maxmem moves device memory past the AMD HyperTransport hole (1 TiB relocation).
                bigAddressSpace = true;
                maxmem = Pick([1UL << 40, 1020 * GiB, 2UL << 40]);
            }
        }
        if (Has("cpu-model")) cpu = Pick(["foo", "", ",phys-bits=40", "host"]);
        if (Has("cpu-phys-bits")) cpu = "qemu64,phys-bits=" + Pick(["20", "53", "x", "-1", "4294967296"]);
        if (Has("cpu-plus")) cpu = Pick(["qemu64,+foo", "qemu64,foo=on", "kvm64,phys_bits=31"]);
        if (Has("cpu-32bit")) cpu = Pick(["qemu32,phys-bits=40", "qemu32", "athlon"]);
        if (Has("m-phys-bits") && !bigAddressSpace)
        {
            maxmem = Pick([1UL << 40, 2UL << 40, 1021 * GiB]);
        }

        // Backends and devices: device i uses backend i.
        int deviceCount = Weighted((0, 8), (1, 35), (2, 30), (3, 17), (4, 10));
        int backendCount = Math.Max(deviceCount, Weighted((0, 20), (1, 40), (2, 30), (3, 10)));
        if (slots < deviceCount)
        {
            slots = deviceCount;
        }
        var backends = new List<Backend>();
        var devices = new List<Device>();
        for (int i = 0; i < backendCount; i++)
        {
            bool forNvdimm = i < deviceCount && Chance(0.75);
            bool forPcDimm = i < deviceCount && !forNvdimm;
            string typeName = Weighted(("memory-backend-file", 55), ("memory-backend-ram", 35), ("memory-backend-memfd", 10));
            string size = typeName == "memory-backend-ram" || forPcDimm
                ? Pick(["2M", "4M", "8M", "64M", "128M", "256M"])
                : Pick(["4M", "3M", "128M", "256M", "129M", "260K", "1M", "6M", "16M"]);
            var backend = new Backend { Id = $"m{i}", Type = typeName, Size = size };
            if (typeName == "memory-backend-file")
            {
                string path = Weighted(("new", 75), ("existing", 18), ("dir", 7));
                if (path == "existing" && ParseSize(size) > 8 * MiB)
                {
                    path = "new";
                }
                switch (path)
                {
                    case "new":
                        backend.Path = $"@DIR@/f{i}.img";
                        break;
                    case "existing":
                        long length = (long)ParseSize(size) * Weighted((1, 60), (2, 30));
                        files.Add(($"e{i}.img", length));
                        backend.Path = $"@DIR@/e{i}.img";
                        if (Chance(0.2) && forNvdimm)
                        {
                            backend.ReadOnly = true;
                        }
                        break;
                    default:
                        backend.Path = "@DIR@";
                        break;
                }
                if (forNvdimm && ParseSize(size) >= 4 * MiB && Chance(0.15))
                {
                    backend.Align = Pick(["2M", "1M", "64K"]);
                }
            }
            if (Chance(0.5))
            {
                backend.Share = Pick(["on", "off"]);
            }
            if (typeName == "memory-backend-ram" && ParseSize(size) <= 8 * MiB && Chance(0.05))
            {
                backend.Prealloc = true;
            }
            backends.Add(backend);

            if (i < deviceCount)
            {
                var device = new Device { Driver = forNvdimm ? "nvdimm" : "pc-dimm", Memdev = backend.Id };
                if (Chance(0.6))
                {
                    device.Id = $"d{i}";
                }
                if (forNvdimm)
                {
                    ulong alignment = typeName == "memory-backend-ram" ? 2 * MiB : backend.Align is null ? 4096 : ParseSize(backend.Align);
                    ulong backendSize = ParseSize(size);
                    string[] labels = ["128K", "256K", "1M"];
                    string label = Pick(labels);
                    if (Chance(0.5) && backendSize > ParseSize(label) + alignment)
                    {
                        device.LabelSize = label;
                    }
                    if (backend.ReadOnly || Chance(0.1))
                    {
                        device.Unarmed = "on";
                    }
                }
                devices.Add(device);
            }
        }

        // NUMA: a node whose memdev holds all RAM, maybe an empty second node.
        var numa = new List<string>();
        int nodeCount = 0;
        if (Chance(0.12) || Has("numa-memdev") || Has("numa-missing-node") || Has("numa-total") || Has("numa-dup"))
        {
            backends.Add(new Backend { Id = "ram0", Type = "memory-backend-ram", Size = $"{ram}" });
            numa.Add(Pick(["node,memdev=ram0", "node,nodeid=0,memdev=ram0"]));
            nodeCount = 1;
            if (Chance(0.4) || Has("numa-dist"))
            {
                numa.Add(Pick(["node", "node,nodeid=1"]));
                nodeCount = 2;
                if (Chance(0.3))
                {
                    numa.Add(Pick(["dist,src=0,dst=1,val=20", "dist,src=1,dst=0,val=21", "dist,src=0,dst=0,val=10"]));
                }
            }
        }
        if (Has("numa-dist"))
        {
            numa.Add(Pick(["dist,src=0", "dist,src=0,dst=1,val=5", "dist,src=1,dst=1,val=20", "dist,src=0,dst=3,val=20", "dist,src=0,dst=1,val=300", "dist,src=0,dst=200,val=20", "dist,src=0,dst=1,val=20,x=1"]));
            if (Chance(0.5))
            {
                numa.Add(Pick(["dist,src=1,dst=0,val=30", "node,nodeid=2", "dist,src=0,dst=1,val=20"]));
            }
        }
        if (Has("numa-memdev")) numa[0] = Pick(["node,memdev=nope", "node,memdev=ram0,foo=1", "node,memdev=ram0,nodeid=x", "node,mem=1G", "dist,src=0"]);
        if (Has("numa-missing-node")) numa.Add("node,nodeid=3");
        if (Has("numa-total")) backends[^1].Size = $"{ram / 2}";
        if (Has("numa-dup")) numa.Add(Pick(["node,nodeid=0", "node,memdev=ram0"]));

        foreach (Device device in devices)
        {
            if (Chance(0.15))
            {
                device.Node = $"{_random.Next(Math.Max(nodeCount, 1))}";
            }
        }
        // Distinct explicit slots and addresses for some devices.
        var freeSlots = Enumerable.Range(0, slots).OrderBy(_ => _random.Next()).ToList();
        ulong deviceBase = EstimateDeviceMemoryBase(q35, ram, maxBelow, cpu, maxmem, slots);
        int gigabyte = 1;
        foreach (Device device in devices)
        {
            if (Chance(0.25))
            {
                device.Slot = $"{freeSlots[0]}";
                freeSlots.RemoveAt(0);
            }
            if (Chance(0.2) && devices.Count > 0)
            {
                // 1 GiB apart from each other, inside the region whatever the budget.
                device.Addr = $"0x{deviceBase + (ulong)gigabyte * GiB + (ulong)_random.Next(4) * 64 * MiB:x}";
                gigabyte++;
            }
        }

        // Faults on -m.
        string? slotsText = $"{slots}";
        string maxmemText = Pick([$"{maxmem}", FormatSize(maxmem)]);
        string memoryText = $"{(Chance(0.9) ? ramText : "size=" + ramText)},slots={slotsText},maxmem={maxmemText}";
        if (Has("m-maxmem-below")) memoryText = $"{ramText},slots={slots},maxmem={ram - 8192}";
        if (Has("m-maxmem-equal")) memoryText = $"{ramText},slots={slots},maxmem={ram}";
        if (Has("m-slots-no-maxmem")) memoryText = $"{ramText},slots={slots}";
        if (Has("m-slots-257")) memoryText = $"{ramText},slots={Pick(["257", "1000", "300"])},maxmem={maxmemText}";
        if (Has("m-maxmem-unaligned")) memoryText = $"{ramText},slots={slots},maxmem={maxmem + 1 + (ulong)_random.Next(4000)}";
        if (Has("m-syntax")) memoryText = Pick([$"{ramText},,slots=2", $"{ramText},foo=1", "1.5", "x", $"{ramText},slots=x,maxmem=8G", $"{ramText},maxmem=16E", $"{ramText},id=m", "99999999999999", "-1", $"{ramText},slots=2,maxmem=8G,slots"]);
        if (Has("m-maxmem-huge")) memoryText = $"{ramText},slots={slots},maxmem={Pick(["1000T", "15E", "16383P"])}";
        if (Has("dev-no-slots")) memoryText = $"{ramText},maxmem={maxmemText}";
        if (Has("dev-too-many") && devices.Count > 1) memoryText = $"{ramText},slots=1,maxmem={maxmemText}";
        if (Has("dev-maxmem-exhausted")) memoryText = $"{ramText},slots={slots},maxmem={ram + 4 * MiB}";

        // Faults on backends.
        if (backends.Count > 0)
        {
            Backend victim = Pick(backends);
            if (Has("obj-size0")) victim.Size = "0";
            if (Has("obj-dup-id") && backends.Count > 1) backends[^1].Id = backends[0].Id;
            if (Has("obj-bad-id")) victim.Id = Pick(["1bad", "a b", "", "x!"]);
            if (Has("obj-pc-ram")) victim.Id = "pc.ram";
            if (Has("obj-existing-smaller") && victim.Type == "memory-backend-file")
            {
                files.Add(("small.img", 4096));
                victim.Path = "@DIR@/small.img";
            }
            if (Has("obj-missing-dir") && victim.Type == "memory-backend-file") victim.Path = "@DIR@/nodir/x.img";
            if (Has("obj-align") && victim.Type == "memory-backend-file") victim.Align = Pick(["3M", "2K", "x"]);
            if (Has("obj-unknown")) victim.Extra = Pick(["bogus=1", "merge=maybe", "policy=bad", "host-nodes=200", "prealloc-threads=0"]);
            if (Has("obj-bad-size")) victim.Size = Pick(["x", "1.5", "-1", "16E"]);
            if (Has("obj-readonly") && devices.Count > 0 && backends[0].Type == "memory-backend-file")
            {
                files.Add(("ro.img", (long)ParseSize(backends[0].Size)));
                backends[0].Path = "@DIR@/ro.img";
                backends[0].ReadOnly = true;
                devices[0].Unarmed = null;
            }
        }

        // Faults on devices.
        if (devices.Count > 0)
        {
            Device victim = Pick(devices);
            if (Has("dev-busy") && devices.Count > 1) devices[^1].Memdev = devices[0].Memdev;
            if (Has("dev-memdev-missing")) victim.Memdev = Pick(["nope", "/objects/nope", "d0", "objects"]);
            if (Has("dev-memdev-none")) victim.Memdev = Pick([null, ""]);
            if (Has("dev-slot-busy") && devices.Count > 1)
            {
                devices[0].Slot = "1";
                devices[^1].Slot = "1";
            }
            if (Has("dev-slot-range")) victim.Slot = Pick([$"{slots}", "-2", "300", "2147483648"]);
            if (Has("dev-slot-syntax")) victim.Slot = Pick(["x", "1.0", "0x"]);
            if (Has("dev-addr-unaligned")) victim.Addr = $"0x{deviceBase + 4096:x}";
            if (Has("dev-addr-range")) victim.Addr = Pick(["0x1000", "0x10000000000000", $"0x{deviceBase - 2 * MiB:x}", "-2097152", "x"]);
            if (Has("dev-addr-conflict") && devices.Count > 1)
            {
                devices[0].Addr = $"0x{deviceBase:x}";
                devices[^1].Addr = $"0x{deviceBase:x}";
            }
            if (Has("dev-node")) victim.Node = Pick(["1", "2", "-1", "x", "4294967296"]);
            if (Has("dev-label-small") && victim.Driver == "nvdimm") victim.LabelSize = Pick(["64K", "1", "x", "131071"]);
            if (Has("dev-label-large") && victim.Driver == "nvdimm") victim.LabelSize = Pick(["1G", "256M", "4M"]);
            if (Has("dev-unarmed")) victim.Unarmed = Pick(["maybe", "1", "ON"]);
            if (Has("dev-uuid")) victim.Extra = "uuid=" + Pick(["not-a-uuid", "12345678-1234-1234-1234-123456789abc", "auto"]);
            if (Has("dev-unknown")) victim.Extra = Pick(["bogus=1", "size=1", "bus=pci.1", "foo"]);
            if (Has("dev-driver")) victim.Driver = Pick(["foo", "NVDIMM", "pc-dimm-x"]);
            if (Has("dev-dup-id") && devices.Count > 1)
            {
                devices[0].Id = "dup";
                devices[^1].Id = "dup";
            }
            if (Has("dev-bad-id")) victim.Id = Pick(["9x", "a/b", "_x"]);
            if (Has("dev-pcdimm-unaligned"))
            {
                victim.Driver = "pc-dimm";
                victim.LabelSize = null;
                if (backends.FirstOrDefault(b => b.Id == victim.Memdev) is { } target)
                {
                    target.Size = "3M";
                    target.Type = "memory-backend-ram";
                    target.Path = null;
                    target.Align = null;
                    target.ReadOnly = false;
                }
            }
        }

        // Machine properties: nvdimm=on when there are NVDIMMs.
        bool anyNvdimm = devices.Any(d => d.Driver == "nvdimm");
        string nvdimm = anyNvdimm || Chance(0.5) ? "nvdimm=on" : Pick(["", "nvdimm=off"]);
        if (Has("M-short-nvdimm")) nvdimm = "nvdimm";
        if (Has("M-nvdimm-off") || Has("dev-nvdimm-off")) nvdimm = Pick(["nvdimm=off", ""]);
        if (Has("M-bool")) nvdimm = "nvdimm=" + Pick(["maybe", "On", "1"]);
        if (nvdimm.Length > 0)
        {
            machineProps.Add(nvdimm);
        }
        Shuffle(machineProps);

        // Render.
        var machineArgs = new List<string>();
        if (machineProps.Count > 1 && Chance(0.15))
        {
            int split = _random.Next(1, machineProps.Count);
            machineArgs.AddRange(["-M", string.Join(',', new[] { type }.Concat(machineProps.Take(split)))]);
            machineArgs.AddRange(["-machine", string.Join(',', machineProps.Skip(split))]);
        }
        else if (machineProps.Count > 0 || Chance(0.8) || type != "pc")
        {
            machineArgs.AddRange(["-M", string.Join(',', new[] { type }.Concat(machineProps))]);
        }
        var memoryArgs = new List<string> { "-m", memoryText };
        var cpuArgs = cpu is null ? new List<string>() : ["-cpu", cpu];
        var objectArgs = new List<string>();
        foreach (Backend b in backends)
        {
            var parts = new List<string> { b.Type };
            if (b.Id.Length > 0) parts.Add($"id={b.Id}");
            parts.Add($"size={b.Size}");
            if (b.Path is not null) parts.Add($"mem-path={b.Path}");
            if (b.Align is not null) parts.Add($"align={b.Align}");
            if (b.Share is not null) parts.Add($"share={b.Share}");
            if (b.ReadOnly) parts.Add("readonly=on");
            if (b.Prealloc) parts.Add("prealloc=on");
            if (b.Extra is not null) parts.Add(b.Extra);
            Shuffle(parts, skipFirst: true);
            objectArgs.AddRange(["-object", string.Join(',', parts)]);
        }
        var numaArgs = numa.SelectMany(n => new[] { "-numa", n }).ToList();
        var deviceArgs = new List<string>();
        foreach (Device d in devices)
        {
            var parts = new List<string> { d.Driver };
            if (d.Memdev is not null) parts.Add($"memdev={d.Memdev}");
            if (d.Id is not null) parts.Add($"id={d.Id}");
            if (d.Slot is not null) parts.Add($"slot={d.Slot}");
            if (d.Addr is not null) parts.Add($"addr={d.Addr}");
            if (d.Node is not null) parts.Add($"node={d.Node}");
            if (d.LabelSize is not null) parts.Add($"label-size={d.LabelSize}");
            if (d.Unarmed is not null) parts.Add($"unarmed={d.Unarmed}");
            if (d.Extra is not null) parts.Add(d.Extra);
            Shuffle(parts, skipFirst: true);
            deviceArgs.AddRange(["-device", string.Join(',', parts)]);
        }

        var groups = new List<List<string>> { machineArgs, memoryArgs, cpuArgs, objectArgs, numaArgs, deviceArgs };
        if (!clean && Chance(0.3))
        {
            // Parse-time checks follow argument order: mix it up.
            Shuffle(groups);
        }
        string name = clean ? $"random-{seed}-{index} (valid by construction)" : $"random-{seed}-{index} ({string.Join(", ", faults)})";
        return new DifferentialCase(name, groups.SelectMany(g => g).ToList(), files);
    }

    // Roughly where QEMU puts device memory, to aim explicit addresses inside it.
    private static ulong EstimateDeviceMemoryBase(bool q35, ulong ram, ulong? maxBelow, string? cpu, ulong maxmem, int slots)
    {
        ulong lowmem = q35 ? Math.Min(ram >= 0xB000_0000 ? 0x8000_0000UL : 0xB000_0000UL, maxBelow ?? 4 * GiB)
            : ram >= (maxBelow ?? 0xE000_0000) ? Math.Min(maxBelow ?? 0xE000_0000, 0xC000_0000) : maxBelow ?? 0xE000_0000;
        ulong above = ram > lowmem ? ram - lowmem : 0;
        bool amd = cpu is null || cpu.StartsWith("qemu64", StringComparison.Ordinal) || cpu.StartsWith("EPYC", StringComparison.Ordinal) || cpu.StartsWith("max", StringComparison.Ordinal);
        ulong start = 4 * GiB;
        ulong end = (start + above + GiB - 1) / GiB * GiB + maxmem - ram + (ulong)slots * GiB;
        if (amd && end + (q35 ? 32 * GiB : 2 * GiB) > 0xFD_0000_0000)
        {
            start = 1UL << 40;
        }
        return (start + above + GiB - 1) / GiB * GiB;
    }

    private static ulong ParseRam(string text)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return ulong.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }
        return char.IsAsciiDigit(text[^1]) ? ParseSize(text + "M") : ParseSize(text);
    }

    private static ulong ParseSize(string text)
    {
        ulong multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1UL << 10,
            'M' => MiB,
            'G' => GiB,
            'T' => 1UL << 40,
            _ => 1,
        };
        string number = multiplier == 1 ? text : text[..^1];
        return (ulong)(decimal.Parse(number, CultureInfo.InvariantCulture) * multiplier);
    }

    private static string FormatSize(ulong bytes) =>
        bytes % GiB == 0 ? $"{bytes / GiB}G" : bytes % MiB == 0 ? $"{bytes / MiB}M" : $"{bytes}";

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private T Weighted<T>(params (T Value, int Weight)[] choices)
    {
        int roll = _random.Next(choices.Sum(c => c.Weight));
        foreach ((T value, int weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }
            roll -= weight;
        }
        return choices[^1].Value;
    }

    private void Shuffle<T>(List<T> items, bool skipFirst = false)
    {
        int start = skipFirst ? 1 : 0;
        for (int i = items.Count - 1; i > start; i--)
        {
            int j = _random.Next(start, i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
