namespace Vnvdimm.Tests.Differential;

/// <summary>
/// Seeded bad command lines: a valid configuration (key=value or JSON, with NVDIMMs, pc-dimms,
/// NUMA, an existing backend file) with one or two faults: bad or overflowing sizes and numbers,
/// unknown properties, missing or duplicate or malformed ids, broken JSON, wrong JSON types, bad
/// slots, maxmem, NUMA, paths, drivers, machine types, options. "@DIR@" is the scratch folder,
/// which holds <see cref="ExistingFile"/> (<see cref="ExistingLength"/> random bytes) beforehand.
/// </summary>
public sealed class BadCommandLineGenerator(int seed)
{
    public const string ExistingFile = "existing.img";
    public const long ExistingLength = 1 << 20;

    private readonly Random _random = new(seed);

    /// <summary>One option: its name and, for -object/-device/-M/-m/-numa, typed members.</summary>
    private sealed class Option(string name, string implied, bool json = false, params (string Key, string Value)[] members)
    {
        public string Name { get; } = name;
        public string Implied { get; set; } = implied;
        public bool Json { get; } = json;
        public List<KeyValuePair<string, string>> Members { get; } = members.Select(m => new KeyValuePair<string, string>(m.Key, m.Value)).ToList();
        public string? RawArgument { get; set; }

        // JSON member values are JSON literals; the implied key is qom-type or driver.
        public string Render()
        {
            if (RawArgument is not null)
            {
                return RawArgument;
            }
            if (!Json)
            {
                return string.Join(',', new[] { Implied }.Where(i => i.Length > 0).Concat(Members.Select(m => $"{m.Key}={m.Value}")));
            }
            string impliedKey = Name == "-object" ? "qom-type" : "driver";
            return "{" + string.Join(',', new[] { $"\"{impliedKey}\":\"{Implied}\"" }.Concat(Members.Select(m => $"\"{m.Key}\":{m.Value}"))) + "}";
        }

        public void Set(string key, string value)
        {
            int index = Members.FindIndex(m => m.Key == key);
            if (index >= 0)
            {
                Members[index] = new(key, value);
            }
            else
            {
                Members.Add(new(key, value));
            }
        }

        public Option Clone()
        {
            var copy = new Option(Name, Implied, Json) { RawArgument = RawArgument };
            copy.Members.AddRange(Members);
            return copy;
        }
    }

    private const string EndMarker = "--end";

    private static string Q(string text) => $"\"{text}\"";

    private List<Option> BaseConfiguration(bool json)
    {
        Option File(string id, string path, string size, params (string, string)[] more) => json
            ? new Option("-object", "memory-backend-file", true, [("id", Q(id)), ("mem-path", Q(path)), ("size", SizeLiteral(size, true)), .. more.Select(m => (m.Item1, JsonValue(m.Item2)))])
            : new Option("-object", "memory-backend-file", false, [("id", id), ("mem-path", path), ("size", size), .. more]);
        Option Ram(string id, string size) => json
            ? new Option("-object", "memory-backend-ram", true, ("id", Q(id)), ("size", SizeLiteral(size, true)))
            : new Option("-object", "memory-backend-ram", false, ("id", id), ("size", size));
        Option Device(string driver, params (string, string)[] members) => json
            ? new Option("-device", driver, true, [.. members.Select(m => (m.Item1, JsonValue(m.Item2)))])
            : new Option("-device", driver, false, members);

        var options = new List<Option>();
        int shape = _random.Next(4);
        string machine = shape == 1 ? "q35" : "pc";
        options.Add(new Option("-machine", machine, false, ("nvdimm", "on")));
        options.Add(new Option("-m", "512M", false, ("slots", "4"), ("maxmem", "4G")));
        switch (shape)
        {
            case 0:
                options.Add(File("mem1", "@DIR@/nv1.img", "64M", ("share", "on")));
                options.Add(Device("nvdimm", ("id", "nv1"), ("memdev", "mem1"), ("label-size", "128K")));
                break;
            case 1:
                options.Add(Ram("ram1", "128M"));
                options.Add(File("mem2", $"@DIR@/{ExistingFile}", "1M", ("share", "on")));
                options.Add(Device("pc-dimm", ("id", "dimm1"), ("memdev", "ram1")));
                options.Add(Device("nvdimm", ("id", "nv2"), ("memdev", "mem2"), ("label-size", "128K"), ("unarmed", "on")));
                break;
            case 2:
                options.Add(Ram("ram0", "512M"));
                options.Add(new Option("-numa", "node", false, ("memdev", "ram0")));
                options.Add(new Option("-numa", "node", false));
                options.Add(Ram("r1", "8M"));
                options.Add(Device("nvdimm", ("id", "nv3"), ("memdev", "r1"), ("node", "1")));
                break;
            default:
                options.Add(File("m1", "@DIR@/a.img", "16M"));
                options.Add(File("m2", "@DIR@/b.img", "16M", ("align", "2M")));
                options.Add(Device("nvdimm", ("id", "a"), ("memdev", "m1"), ("slot", "1")));
                options.Add(Device("nvdimm", ("id", "b"), ("memdev", "m2"), ("label-size", "256K")));
                break;
        }
        return options;
    }

    // A size as written in key=value text, as a JSON number.
    private static string SizeLiteral(string size, bool json)
    {
        if (!json)
        {
            return size;
        }
        ulong unit = size[^1] switch { 'K' => 1UL << 10, 'M' => 1UL << 20, 'G' => 1UL << 30, _ => 1 };
        return (ulong.Parse(unit == 1 ? size : size[..^1], System.Globalization.CultureInfo.InvariantCulture) * unit).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    // The JSON literal for a key=value value vnvdimm's base configurations use.
    private static string JsonValue(string value) => value switch
    {
        "on" => "true",
        "off" => "false",
        _ when value.EndsWith('K') || value.EndsWith('M') => SizeLiteral(value, true),
        _ when ulong.TryParse(value, out _) => value,
        _ => Q(value),
    };

    private static readonly string[] Mutations =
    [
        "size", "m", "unknown-property", "missing-id", "duplicate-id", "bad-json", "wrong-type", "overflow",
        "slot", "maxmem", "numa", "path", "driver", "memdev", "label-size", "id-form", "uuid", "machine", "option", "cpu",
    ];

    public DifferentialCase Next(int index)
    {
        bool json = _random.Next(3) == 0;
        List<Option> options = BaseConfiguration(json);
        int count = _random.Next(5) == 0 ? 2 : 1;
        var applied = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string mutation = Mutations[_random.Next(Mutations.Length)];
            applied.Add(mutation);
            Mutate(options, mutation);
        }
        var args = new List<string>();
        foreach (Option option in options)
        {
            if (option.Name == EndMarker)
            {
                // An option name alone, without its argument.
                args.Add(option.RawArgument!);
                continue;
            }
            args.Add(option.Name);
            args.Add(option.Render());
        }
        return new DifferentialCase($"bad {index} ({string.Join('+', applied)}, {(json ? "json" : "key=value")})", args, [(ExistingFile, ExistingLength)]);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private Option PickOption(List<Option> options, string name) => Pick(options.Where(o => o.Name == name && o.RawArgument is null).ToList());

    private void Mutate(List<Option> options, string mutation)
    {
        Option obj = PickOption(options, "-object");
        Option dev = PickOption(options, "-device");
        Option memory = PickOption(options, "-m");
        Option machine = PickOption(options, "-machine");
        switch (mutation)
        {
            case "size":
                obj.Set("size", obj.Json
                    // Not -1: on memory-backend-ram QEMU 7.2 aborts (find_ram_offset: Assertion `size != 0').
                    ? Pick(["\"64M\"", "-4096", "1.5", "18446744073709551616", "0", "true", "null", "\"\"", "[]"])
                    : Pick(["abc", "-1", "99999999999999999999", "1.5Z", "0", "16E", "0x", "4k4", "", "1e3"]));
                break;
            case "m":
                if (_random.Next(2) == 0)
                {
                    memory.Implied = Pick(["abc", "-1", "0", "99999999999999999999", "1.5Z", "size=", "512M,,"]);
                }
                else
                {
                    memory.Set(Pick(["slots", "maxmem", "bogus"]), Pick(["257", "-1", "1M", "abc", "99999999999999999999", ""]));
                }
                break;
            case "unknown-property":
                Option target = Pick([obj, dev, machine]);
                if (target.Json)
                {
                    target.Set(Pick(["bogus", "lable-size", "mem_path", "Size"]), "1");
                }
                else
                {
                    target.Set(Pick(["bogus", "lable-size", "mem_path", "Size", "x-nvdimm"]), "1");
                }
                break;
            case "missing-id":
                obj.Members.RemoveAll(m => m.Key == "id");
                break;
            case "duplicate-id":
                Option copy = _random.Next(2) == 0 ? obj.Clone() : dev.Clone();
                if (copy.Name == "-device")
                {
                    copy.Members.RemoveAll(m => m.Key == "memdev");
                }
                options.Insert(options.IndexOf(copy.Name == "-object" ? obj : dev) + 1, copy);
                break;
            case "bad-json":
                Option victim = Pick([obj, dev]);
                string text = victim.Render();
                victim.RawArgument = Pick([0, 1, 2, 3, 4, 5]) switch
                {
                    0 => "{" + text[1..^1].Replace("\":", "\" ", StringComparison.Ordinal) + "}",
                    1 => text[..Math.Max(1, _random.Next(text.Length))],
                    2 => text.Insert(1 + _random.Next(text.Length - 1), "@"),
                    3 => text[..^1] + ",}",
                    4 => text + " " + text,
                    _ => text[..^1] + ",\"id\":\"again\",\"id\":\"again\"}",
                };
                if (!victim.RawArgument.StartsWith('{'))
                {
                    victim.RawArgument = "{" + victim.RawArgument;
                }
                break;
            case "wrong-type":
                if (dev.Json || obj.Json)
                {
                    Option typed = dev.Json && _random.Next(2) == 0 ? dev : obj;
                    if (typed.Name == "-device")
                    {
                        typed.Set(Pick(["label-size", "slot", "unarmed", "memdev", "uuid", "node", "addr"]), Pick(["\"128K\"", "\"1\"", "1", "true", "null", "{}", "[1]", "1.5", "-1"]));
                    }
                    else
                    {
                        typed.Set(Pick(["share", "size", "mem-path", "host-nodes", "policy", "prealloc-threads", "id", "qom-type"]), Pick(["\"on\"", "\"yes\"", "1", "0", "\"4M\"", "null", "[]", "{}", "5"]));
                    }
                }
                else
                {
                    Option typed = Pick([obj, dev]);
                    if (typed.Name == "-device")
                    {
                        typed.Set(Pick(["unarmed", "slot", "node", "addr", "label-size"]), Pick(["maybe", "x", "1.5", "-", "12Q", "0x"]));
                    }
                    else
                    {
                        typed.Set(Pick(["share", "merge", "policy", "prealloc-threads", "host-nodes", "align"]), Pick(["yes", "maybe", "-1", "x", "1-", "3-1"]));
                    }
                }
                break;
            case "overflow":
                (string key, string value) = Pick(new[]
                {
                    ("slot", "99999999999999999999"), ("slot", "2147483648"), ("addr", "0x1ffffffffffffffff"), ("addr", "18446744073709551615"),
                    ("node", "4294967296"), ("label-size", "16E"), ("label-size", "18446744073709551615"),
                });
                dev.Set(key, value);
                break;
            case "slot":
                dev.Set("slot", Pick(["4", "-2", "100", "2147483647"]));
                break;
            case "maxmem":
                memory.Set("maxmem", Pick(["513M", "600M", "512M", "4095M"]));
                break;
            case "numa":
                switch (_random.Next(4))
                {
                    case 0:
                        options.Add(new Option("-numa", "node", false, ("memdev", "nosuch")));
                        break;
                    case 1:
                        options.Add(new Option("-numa", "node", false, ("nodeid", Pick(["300", "128", "-1"]))));
                        break;
                    case 2:
                        options.Add(new Option("-numa", "dist", false, ("src", "0"), ("dst", Pick(["9", "0"])), ("val", Pick(["20", "5", "300"]))));
                        break;
                    default:
                        dev.Set("node", "7");
                        break;
                }
                break;
            case "path":
                if (obj.Implied == "memory-backend-file")
                {
                    string path = Pick(["/nonexistent/dir/x.img", "@DIR@", "", "@DIR@/missing-dir/x.img", "/proc/nvdimm.img"]);
                    obj.Set("mem-path", obj.Json ? Q(path) : path);
                }
                else
                {
                    obj.Set("mem-path", obj.Json ? Q("@DIR@/x.img") : "@DIR@/x.img");
                }
                break;
            case "driver":
                if (dev.Json && _random.Next(2) == 0)
                {
                    dev.RawArgument = dev.Render().Replace($"\"driver\":\"{dev.Implied}\"", Pick(["\"driver\":5", "\"drivers\":\"nvdimm\"", "\"driver\":null"]), StringComparison.Ordinal);
                }
                else
                {
                    dev.Implied = Pick(["nvdimmm", "pc-dimm2", "nv-dimm", "", "help-me"]);
                }
                break;
            case "memdev":
                string memdev = Pick(["nosuch", "", "/objects/nosuch", "/machine", "nv1"]);
                dev.Set("memdev", dev.Json ? Q(memdev) : memdev);
                break;
            case "label-size":
                string labelSize = Pick(["64K", "1", "64M", "16M", "0"]);
                dev.Set("label-size", dev.Json ? SizeLiteral(labelSize, true) : labelSize);
                break;
            case "id-form":
                string id = Pick(["1bad", "a@b", "", "-x", "a b"]);
                Option named = Pick([obj, dev]);
                named.Set("id", named.Json ? Q(id) : id);
                break;
            case "uuid":
                string uuid = Pick(["xyz", "6f0e1a2b-3c4d-5e6f-8091-a2b3c4d5e6f", "{6f0e1a2b-3c4d-5e6f-8091-a2b3c4d5e6f7}", "6f0e1a2b3c4d5e6f8091a2b3c4d5e6f7zzzz"]);
                dev.Set("uuid", dev.Json ? Q(uuid) : uuid);
                break;
            case "machine":
                if (_random.Next(2) == 0)
                {
                    machine.Implied = Pick(["foo", "pc-i440fx-9.9", "virt", "microvm2"]);
                }
                else
                {
                    machine.Set(Pick(["nvdimm", "nvdimm-persistence", "hmat", "max-ram-below-4g"]), Pick(["maybe", "x", "-1", "99999999999999999999"]));
                }
                break;
            case "option":
                switch (_random.Next(3))
                {
                    case 0:
                        options.Add(new Option("-bogus", string.Empty) { RawArgument = "1" });
                        break;
                    case 1:
                        options.Insert(_random.Next(options.Count), new Option("-drive2", string.Empty) { RawArgument = "file=x" });
                        break;
                    default:
                        options.Add(new Option(EndMarker, string.Empty) { RawArgument = Pick(["-m", "-device", "-object", "-numa"]) });
                        break;
                }
                break;
            case "cpu":
                options.Add(new Option("-cpu", string.Empty) { RawArgument = Pick(["nosuch", "qemu64,phys-bits=20", "qemu64,phys-bits=x", "qemu64,+bogus"]) });
                break;
        }
    }
}
