using System.Globalization;
using System.Text;
using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Ndctl;

/// <summary>
/// ndctl 76's namespace and region commands (ndctl/namespace.c, ndctl/region.c; research §3.3)
/// acting as the Linux 6.1 kernel would behind sysfs: create-namespace writes labels through
/// <see cref="KernelLabelWriter"/> in the kernel's order of sysfs writes, then the personality's
/// info block; destroy-namespace zeroes the first 8 KiB and deletes the labels. Enable/disable
/// state is the kernel's (<see cref="NdctlDimm.Bindings"/>, kept by the guest); offline there is no
/// kernel to keep it, so those commands only count what they would act on.
/// Exit statuses are ndctl's: the negative errno, truncated to a byte.
/// </summary>
internal static partial class NamespaceCommands
{
    private const int UsageExit = 129;
    private const int ENxio = 6;
    private const int EAgain = 11;
    private const int EBusy = 16;
    private const int ENodev = 19;
    private const int EInval = 22;
    private const int EIo = 5;
    private const int EOpNotSupp = 95;
    private const int ENospc = 28;
    private const ulong Sz16M = 16UL << 20;
    private const ulong Sz2M = 2UL << 20;
    private const ulong PageSize = 4096;

    /// <summary>Alignments the kernel offers for pfn/dax devices on x86 (4K, 2M, 1G).</summary>
    private static readonly ulong[] SupportedAlignments = [PageSize, Sz2M, 1UL << 30];

    /// <summary>btt_lbasize_supported and pmem_lbasize_supported.</summary>
    private static readonly ulong[] BttSectorSizes = [512, 520, 528, 4096, 4104, 4160, 4224];
    private static readonly ulong[] PmemSectorSizes = [512, 4096];

    /// <summary>
    /// ndctl's UINT_MAX sector size: what a label-less (io) namespace carries forward, so the new
    /// namespace's sector size is left unset (label lbasize 0) and a btt gets 4096.
    /// </summary>
    private const ulong SectorSizeUnset = uint.MaxValue;

    private static readonly NdctlOptions.Spec[] BaseOptions = [new('b', "bus", true), new('r', "region", true), new('v', "verbose", false)];

    private static readonly NdctlOptions.Spec[] CreateOptions =
    [
        .. BaseOptions, new('e', "reconfig", true), new('u', "uuid", true), new('n', "name", true), new('s', "size", true),
        new('m', "mode", true), new('M', "map", true), new('l', "sector-size", true), new('t', "type", true),
        new('a', "align", true), new('f', "force", false), new('L', "autolabel", false), new('c', "continue", false),
        new('R', "autorecover", false),
    ];

    private static readonly NdctlOptions.Spec[] DestroyOptions = [.. BaseOptions, new('f', "force", false)];
    private static readonly NdctlOptions.Spec[] CheckOptions =
        [.. BaseOptions, new('R', "repair", false), new('f', "force", false), new('L', "rewrite-log", false)];
    private static readonly NdctlOptions.Spec[] ClearOptions = [.. BaseOptions, new('s', "scrub", false)];
    private static readonly NdctlOptions.Spec[] ReadInfoBlockOptions =
    [
        .. BaseOptions, new('o', "output", true), new('j', "json", false), new('u', "human", false), new('V', "verify", false),
        new('i', "input", true),
    ];

    private static readonly NdctlOptions.Spec[] RegionOptions = [new('b', "bus", true), new('t', "type", true), new('v', "verbose", false)];

    public static readonly string[] Names =
    [
        "create-namespace", "destroy-namespace", "enable-namespace", "disable-namespace", "enable-region", "disable-region",
        "check-namespace", "clear-errors", "read-infoblock",
    ];

    /// <summary>Per-invocation state: the err() count that silences ndctl's summary error line.</summary>
    private sealed class Session(NdctlIo io)
    {
        public NdctlIo Io { get; } = io;
        public int ErrCount { get; set; }

        /// <summary>ndctl's error(): " " + " Error: " + a message that already ends in a newline.</summary>
        public void Error(string message) => Io.Error.Write($"  Error: {message}\n\n");

        /// <summary>ndctl namespace.c's err(): counted, prefixed with the command name.</summary>
        public void Err(string command, string message)
        {
            ErrCount++;
            Error($"{command}: {message}");
        }
    }

    public static int Run(string command, IReadOnlyList<string> args, IReadOnlyList<NdctlDimm> dimms, NdctlIo io)
    {
        var session = new Session(io);
        return command switch
        {
            "create-namespace" => Create(args, dimms, session),
            "destroy-namespace" => Xaction(args, dimms, session, "destroy", DestroyOptions),
            "enable-namespace" => Xaction(args, dimms, session, "enable", BaseOptions),
            "disable-namespace" => Xaction(args, dimms, session, "disable", BaseOptions),
            "check-namespace" => Xaction(args, dimms, session, "check", CheckOptions),
            "clear-errors" => Xaction(args, dimms, session, "clear", ClearOptions),
            "read-infoblock" => Xaction(args, dimms, session, "read-infoblock", ReadInfoBlockOptions),
            "enable-region" => XableRegion(args, dimms, session, "enable"),
            _ => XableRegion(args, dimms, session, "disable"),
        };
    }

    private static int Exit(int rc) => rc & 0xFF;

    private static string StrError(int errno) => errno switch
    {
        ENxio => "No such device or address",
        EAgain => "Resource temporarily unavailable",
        EBusy => "Device or resource busy",
        ENodev => "No such device",
        EInval => "Invalid argument",
        EOpNotSupp => "Operation not supported",
        EIo => "Input/output error",
        ENospc => "No space left on device",
        _ => $"Unknown error {errno}",
    };

    private static int Usage(Session session, string usage) =>
        NdctlUsage.Print(usage, session.Io.Error);

    /// <summary>One region per DIMM with media, numbered as <see cref="NdctlList"/> numbers them.</summary>
    private static IEnumerable<NdctlRegion> Regions(IReadOnlyList<NdctlDimm> dimms, string? filter)
    {
        int id = 0;
        foreach (NdctlDimm dimm in dimms.Where(d => d.Media is not null))
        {
            NdctlRegion region = RegionScanner.Scan(dimm.RegionId ?? id, dimm);
            id++;
            if (filter is null || filter == "all" || filter == region.Device || "region" + filter == region.Device)
            {
                yield return region;
            }
        }
    }

    private static NamespaceMode? ParseMode(string mode) => mode switch
    {
        "fsdax" or "memory" => NamespaceMode.Fsdax,
        "devdax" or "dax" => NamespaceMode.Devdax,
        "sector" or "safe" => NamespaceMode.Sector,
        "raw" => NamespaceMode.Raw,
        _ => null,
    };

    private static string ModeName(NamespaceMode mode) => mode switch
    {
        NamespaceMode.Fsdax => "fsdax",
        NamespaceMode.Devdax => "devdax",
        NamespaceMode.Sector => "sector",
        _ => "raw",
    };

    /// <summary>The parsed_parameters of one create.</summary>
    private sealed record CreateParameters(NamespaceMode Mode, bool ModeDefault, PfnMapLocation Location, ulong? Size, ulong SizeUnits,
        ulong? Align, string? AlignText, Guid? Uuid, string Name, ulong? SectorSize, bool Force);

    private static int Create(IReadOnlyList<string> args, IReadOnlyList<NdctlDimm> dimms, Session session)
    {
        const string usage = "ndctl create-namespace [<options>]";
        NdctlOptions? options = NdctlOptions.TryParse(args, CreateOptions, out string? optionError);
        if (options is null)
        {
            session.Io.Error.WriteLine($"  Error: {optionError}");
            return Usage(session, usage);
        }
        if (options.HelpRequested)
        {
            return Usage(session, usage);
        }
        // set_defaults(): every complaint is printed, then usage.
        bool bad = false;
        string? type = options.Value("type");
        if (type is not null && type is not ("pmem" or "blk"))
        {
            session.Error($"invalid type '{type}', must be either 'pmem' or 'blk'");
            bad = true;
        }
        type ??= "pmem";
        NamespaceMode mode = type == "pmem" ? NamespaceMode.Fsdax : NamespaceMode.Sector;
        string? modeText = options.Value("mode");
        if (modeText is not null)
        {
            if (ParseMode(modeText) is NamespaceMode parsed)
            {
                mode = parsed;
            }
            else
            {
                session.Error($"invalid mode '{modeText}'");
                bad = true;
            }
        }
        string? map = options.Value("map");
        if (map is not null)
        {
            if (map is not ("mem" or "dev"))
            {
                session.Error($"invalid map location '{map}'");
                bad = true;
            }
            if (modeText is not null && mode is not (NamespaceMode.Fsdax or NamespaceMode.Devdax))
            {
                session.Error("--map only valid for an devdax mode pmem namespace");
                bad = true;
            }
        }
        if (type == "blk" && modeText is not null && mode is NamespaceMode.Fsdax or NamespaceMode.Devdax)
        {
            session.Error("only 'pmem' namespaces support dax operation");
            bad = true;
        }
        ulong? size = null;
        ulong units = 1;
        if (options.Value("size") is string sizeText)
        {
            size = NdctlNumbers.ParseSize64(sizeText, out units);
            if (size is null)
            {
                session.Error($"failed to parse namespace size '{sizeText}'");
                bad = true;
            }
        }
        ulong? align = null;
        if (options.Value("align") is string alignText)
        {
            align = NdctlNumbers.ParseSize64(alignText, out _);
            if (align is null)
            {
                session.Error($"failed to parse namespace alignment '{alignText}'");
                bad = true;
            }
            else if (!ulong.IsPow2(align.Value) || align < PageSize)
            {
                session.Error($"align must be a power-of-2 greater than {PageSize}");
                bad = true;
            }
        }
        if (size is null && options.Value("size") is string sizeAgain)
        {
            // ndctl 76's set_defaults checks --size twice, around --align, and says so twice.
            session.Error($"failed to parse namespace size '{sizeAgain}'");
        }
        Guid? uuid = null;
        if (options.Value("uuid") is string uuidText)
        {
            if (Guid.TryParseExact(uuidText, "D", out Guid parsedUuid))
            {
                uuid = parsedUuid;
            }
            else
            {
                session.Error($"failed to parse uuid: '{uuidText}'");
                bad = true;
            }
        }
        ulong? sectorSize = null;
        if (options.Value("sector-size") is string sectorText)
        {
            sectorSize = NdctlNumbers.ParseSize64(sectorText, out _);
            if (sectorSize is null)
            {
                session.Error($"invalid sector size: {sectorText}");
                bad = true;
            }
        }
        else if (type == "blk" || mode == NamespaceMode.Sector)
        {
            sectorSize = 4096;
        }
        foreach (string extra in options.Arguments)
        {
            session.Error($"unknown extra parameter \"{extra}\"");
            bad = true;
        }
        if (bad)
        {
            return Usage(session, usage);
        }
        var p = new CreateParameters(mode, modeText is null, map == "mem" ? PfnMapLocation.Ram : PfnMapLocation.Pmem, size, units,
            align, options.Value("align"), uuid, options.Value("name") ?? "", sectorSize, options.Has("force"));
        if (options.Value("reconfig") is string reconfig)
        {
            return Reconfigure(reconfig, options, p, dimms, session);
        }
        int rc = -EAgain;
        int created = 0;
        foreach (NdctlRegion region in type == "pmem" ? Regions(dimms, options.Value("region")) : [])
        {
            rc = CreateIn(region, p, session);
            if (rc == -EAgain)
            {
                continue;
            }
            if (rc == 0)
            {
                created++;
            }
            break;
        }
        if (rc == -EAgain)
        {
            rc = -ENospc;
        }
        if (args.Count == 0 && rc < 0 && created < 1)
        {
            // A bare create-namespace retries with type blk (param.do_scan); QEMU has no blk regions.
            rc = -ENxio;
        }
        if ((rc < 0 || created < 1) && session.ErrCount == 0)
        {
            session.Io.Error.WriteLine($"failed to create namespace: {StrError(-rc)}");
            rc = -ENodev;
        }
        return Exit(rc);
    }

    /// <summary>validate_namespace_options, namespace_create and setup_namespace for one region.</summary>
    private static int CreateIn(NdctlRegion region, CreateParameters p, Session session)
    {
        if (!region.IsEnabled)
        {
            return -EAgain;
        }
        bool labelled = region.InterleaveSetCookie is not null;
        ulong available = labelled ? region.MaxAvailableExtent : region.Size;
        ulong size = p.Size ?? 0;
        if (available == 0 || size > available)
        {
            return -EAgain;
        }
        if (size == 0)
        {
            size = available;
        }
        if (!labelled && size != region.Size)
        {
            session.Error("Legacy / label-less namespaces do not support sub-dividing a region");
            session.Error("Retry without -s/--size=");
            return -EInval;
        }
        int rc = ValidateOptions(region, p, size, session, out ulong align, out ulong sectorSize);
        if (rc != 0)
        {
            return rc;
        }
        Guid uuid = p.Uuid ?? session.Io.NewUuid();

        // namespace_create: a label-less region's only namespace is enabled, so no idle seed.
        NdctlNamespace? seed = region.Namespaces.LastOrDefault(n => !n.IsActive && n.Capacity == 0);
        KernelLabelWriter? writer = labelled ? KernelLabelWriter.TryOpen(region.Dimm.Labels) : null;
        if (seed is null || writer is null)
        {
            return -EAgain;
        }
        return Setup(region, seed, writer, p with { Uuid = uuid }, size, align, sectorSize, session);
    }

    /// <summary>
    /// validate_namespace_options: what ndctl checks before it touches anything (reconfigure runs
    /// it before destroying the old namespace, so a bad option loses nothing).
    /// </summary>
    private static int ValidateOptions(NdctlRegion region, CreateParameters p, ulong size, Session session, out ulong align, out ulong sectorSize)
    {
        const string cmd = "create namespace";
        align = PageSize;
        sectorSize = p.SectorSize ?? 512;
        if (Encoding.UTF8.GetByteCount(p.Name) >= NamespaceLabelLayout.NameLength)
        {
            session.Err(cmd, "validate_namespace_options: alt name overflow");
            return -EInval;
        }

        if (p.Align is ulong wanted)
        {
            if (p.Mode is not (NamespaceMode.Fsdax or NamespaceMode.Devdax))
            {
                session.Error($"{ModeName(p.Mode)} mode does not support setting an alignment");
                return -ENxio;
            }
            if (!SupportedAlignments.Contains(wanted))
            {
                session.Error($"unsupported align: {p.AlignText}");
                return -ENxio;
            }
            align = wanted;
        }
        else
        {
            // The pfn and dax seeds default to 2M; other modes only need page alignment.
            align = p.Mode is NamespaceMode.Fsdax or NamespaceMode.Devdax ? Sz2M : PageSize;
        }
        if (size % region.Align != 0)
        {
            session.Err(cmd, string.Create(CultureInfo.InvariantCulture,
                $"{region.Device}: align setting is {Hex(region.Align)} size {Hex(size)} is misaligned"));
            return -EInval;
        }
        if (size % align != 0)
        {
            string suffix = p.SizeUnits switch { 1UL << 10 => "K", 1UL << 20 => "M", 1UL << 30 => "G", 1UL << 40 => "T", _ => "" };
            ulong step = Math.Max(p.SizeUnits, align);
            ulong suggestion = (size / step + 1) * step / p.SizeUnits;
            session.Err(cmd, string.Create(CultureInfo.InvariantCulture,
                $"'--size=' must align to interleave-width: 1 and alignment: {align}\ndid you intend --size={suggestion}{suffix}?"));
            return -EInval;
        }
        if (size < Sz16M && p.Mode != NamespaceMode.Raw)
        {
            if (p.Size is null)
            {
                return -EAgain;
            }
            session.Error($"'--size=' must be >= 16MiB for '{ModeName(p.Mode)}' mode");
            return -EInval;
        }
        if (p.SectorSize is ulong given && p.Mode == NamespaceMode.Sector && !BttSectorSizes.Contains(given))
        {
            session.Err(cmd, $"{region.Device}: does not support btt sector_size {given}");
            return -EInval;
        }
        if (p.SectorSize is ulong nsGiven && nsGiven != SectorSizeUnset && p.Mode != NamespaceMode.Sector && !PmemSectorSizes.Contains(nsGiven))
        {
            session.Err(cmd, $"{region.Device}: does not support namespace sector_size {nsGiven}");
            return -EInval;
        }
        return 0;
    }

    private static int Setup(NdctlRegion region, NdctlNamespace seed, KernelLabelWriter writer, CreateParameters p, ulong size,
        ulong align, ulong sectorSize, Session session)
    {
        const string cmd = "create namespace";
        Guid uuid = p.Uuid!.Value;
        IDimmMedia media = region.Dimm.Media!;
        ulong? dpa = Allocate(region, writer.Labels, size);
        if (dpa is null)
        {
            return -ENospc;
        }
        bool v12 = writer.Geometry.LabelSize == LabelAreaGeometry.LabelSizeV12;
        var label = new NamespaceLabel
        {
            Uuid = uuid,
            Name = p.Name,
            NLabel = 1,
            Position = 0,
            InterleaveSetCookie = InterleaveSetCookie.ForIndex([region.Dimm.Identity.CookieMember], writer.IndexMinor),
            Dpa = dpa.Value,
            RawSize = size,
            TypeGuid = v12 ? NamespaceLabel.PersistentMemoryType : Guid.Empty,
        };
        // ndctl's sysfs writes, each a kernel label update once uuid and size are set: uuid, alt_name
        // (no label yet), size, sector_size (when the namespace supports it), holder_class (not for
        // raw: an empty write never reaches the kernel). The lab image's sequence numbers confirm it.
        if (!writer.TryUpdate(label))
        {
            session.Err(cmd, $"{seed.Device}: set_size failed: {StrError(ENxio)}");
            return -ENxio;
        }
        if (PmemSectorSizes.Contains(sectorSize))
        {
            label = label with { LbaSize = sectorSize };
            writer.TryUpdate(label);
        }
        bool btt2 = v12;
        if (p.Mode != NamespaceMode.Raw)
        {
            Guid claim = p.Mode switch
            {
                NamespaceMode.Fsdax => NamespaceLabel.PfnAbstraction,
                NamespaceMode.Devdax => NamespaceLabel.DaxAbstraction,
                _ => btt2 ? NamespaceLabel.Btt2Abstraction : NamespaceLabel.BttAbstraction,
            };
            label = label with { AbstractionGuid = v12 ? claim : Guid.Empty };
            writer.TryUpdate(label);
        }

        Guid personality = session.Io.NewUuid();
        if (p.Mode is NamespaceMode.Fsdax or NamespaceMode.Devdax)
        {
            // check_dax_align: the namespace's physical start (QEMU: region base is aligned) must be 16M aligned.
            if (dpa.Value % Sz16M != 0 && !p.Force)
            {
                session.Error($"{seed.Device} misaligned to 16M, adjust region alignment and retry");
                writer.Delete(uuid);
                return -EInval;
            }
            PfnInfoBlock? block = PfnInfoBlock.Create(p.Mode == NamespaceMode.Fsdax ? PfnInfoBlockKind.Pfn : PfnInfoBlockKind.Dax,
                personality, uuid, dpa.Value, size, (uint)align, p.Location, out _);
            if (block is null)
            {
                session.Error($"{seed.Device}: failed to enable");
                writer.Delete(uuid);
                return -ENxio;
            }
            InfoBlockWriter.WritePfn(media, dpa.Value, block);
        }
        else if (p.Mode == NamespaceMode.Sector
            && !InfoBlockWriter.TryWriteBtt(media, dpa.Value, size, sectorSize == SectorSizeUnset ? 4096 : (uint)sectorSize, personality, uuid, btt2))
        {
            session.Error($"{seed.Device}: failed to enable");
            writer.Delete(uuid);
            return -ENxio;
        }

        PrintCreated(region, n => n.RawUuid == uuid, session);
        return 0;
    }

    /// <summary>Prints the namespace setup_namespace made, as the region now scans.</summary>
    private static void PrintCreated(NdctlRegion region, Func<NdctlNamespace, bool> which, Session session)
    {
        int number = RegionNumber(region);
        NdctlNamespace? created = RegionScanner.Scan(number, region.Dimm).Namespaces.FirstOrDefault(which);
        if (created is not null)
        {
            // create-namespace prints a devdax namespace with its dax region (UTIL_JSON_DAX_DEVS).
            string json = JsonC.ToPrettyString(NdctlList.NamespaceJson(created, session.Io.OutputIsTerminal, verbose: false,
                new NdctlList.DaxRegionOwner(number, 0)));
            session.Io.Output.Write(Encoding.UTF8.GetBytes(json + "\n"));
            session.Io.Output.Flush();
        }
    }

    /// <summary>The lowest free DPA range of <paramref name="size"/> bytes, starting on the region alignment.</summary>
    private static ulong? Allocate(NdctlRegion region, IReadOnlyList<NamespaceLabel> labels, ulong size)
    {
        ulong end = region.MappingOffset + region.MappingLength;
        ulong cursor = region.MappingOffset;
        foreach (NamespaceLabel? label in labels.Where(l => l.RawSize > 0).OrderBy(l => l.Dpa).Append(null))
        {
            ulong gapEnd = label is null ? end : Math.Min(label.Dpa, end);
            ulong from = (cursor + region.Align - 1) / region.Align * region.Align;
            if (from + size <= gapEnd)
            {
                return from;
            }
            if (label is not null)
            {
                cursor = Math.Max(cursor, label.Dpa + label.RawSize);
            }
        }
        return null;
    }

    private static string Hex(ulong value) => value == 0 ? "0" : $"0x{value:x}";

    /// <summary>do_xaction_namespace for destroy, enable and disable.</summary>
    private static int Xaction(IReadOnlyList<string> args, IReadOnlyList<NdctlDimm> dimms, Session session, string action,
        NdctlOptions.Spec[] specs)
    {
        (string usage, string purpose, string past, string failure, string noun) = action switch
        {
            "clear" => ("ndctl clear_errors <namespace> [<options>]", "clear errors", "cleared", "error clearing namespaces", "namespace"),
            "read-infoblock" => ("ndctl read-infoblock <namespace> [<options>]", "read", "read", "error reading infoblock data", "infoblock"),
            "destroy" => ("ndctl destroy-namespace <namespace> [<options>]", "destroy", "destroyed", "error destroying namespaces", "namespace"),
            "check" => ("ndctl check-namespace <namespace> [<options>]", "check", "checked", "error checking namespaces", "namespace"),
            // enable, disable
            _ => ($"ndctl {action}-namespace <namespace> [<options>]", action, action + "d", $"error {action[..^1]}ing namespaces", "namespace"),
        };
        NdctlOptions? options = NdctlOptions.TryParse(args, specs, out string? optionError);
        if (options is null)
        {
            session.Io.Error.WriteLine($"  Error: {optionError}");
            return Usage(session, usage);
        }
        if (options.HelpRequested)
        {
            return Usage(session, usage);
        }
        if (options.Arguments.Count == 0)
        {
            session.Error($"specify a namespace to {purpose}, or \"all\"");
            return Usage(session, usage);
        }
        if (options.Arguments.Count > 1)
        {
            foreach (string extra in options.Arguments.Skip(1))
            {
                session.Error($"unknown extra parameter \"{extra}\"");
            }
            return Usage(session, usage);
        }
        string name = options.Arguments[0];
        bool all = name == "all";
        var infoBlocks = new InfoBlockResults();
        int rc = all ? 0 : -ENxio;
        int processed = 0;
        foreach (NdctlRegion region in Regions(dimms, options.Value("region")))
        {
            foreach (NdctlNamespace ns in region.IsEnabled ? region.Namespaces : [])
            {
                if (all ? ns.Capacity == 0 && (ns.RawUuid ?? Guid.Empty) == Guid.Empty : ns.Device != name)
                {
                    continue;
                }
                rc = action switch
                {
                    "destroy" => Destroy(region, ns, options.Has("force"), session),
                    // Enabling needs capacity; disabling always succeeds.
                    "enable" => ns.Capacity == 0 ? -ENxio : Xable(region, ns, true),
                    "check" => Check(region, ns, session),
                    "clear" => ClearErrors(ns, session),
                    "read-infoblock" => ReadInfoBlock(region, ns, options, infoBlocks),
                    _ => Xable(region, ns, false),
                };
                if (rc == 0)
                {
                    processed++;
                }
                if (rc > 0)
                {
                    rc = 0;
                }
            }
        }
        if (infoBlocks.Any)
        {
            rc = WriteInfoBlocks(infoBlocks, options, session, rc);
        }
        // read-infoblock reports its errors whatever err() counted; the others only when it counted none.
        if (rc < 0 && (session.ErrCount == 0 || action == "read-infoblock"))
        {
            session.Io.Error.WriteLine($"{failure}: {StrError(-rc)}");
        }
        session.Io.Error.WriteLine($"{past} {processed} {noun}{(processed == 1 ? "" : "s")}");
        return Exit(rc);
    }

    /// <summary>Binds or unbinds the namespace's driver, where a kernel keeps that state (offline nothing does).</summary>
    private static int Xable(NdctlRegion region, NdctlNamespace ns, bool enable)
    {
        region.Dimm.Bindings?.SetNamespaceEnabled(ns.BindingKey, enable);
        return 0;
    }

    /// <summary>
    /// namespace_prep_reconfig: an active namespace only with --force; it is disabled and its first
    /// 8 KiB zeroed. 0: zeroed; 1: nothing to zero; negative: refused.
    /// </summary>
    private static int PrepareReconfigure(NdctlRegion region, NdctlNamespace ns, bool force, Session session)
    {
        if (ns.IsActive && !force)
        {
            session.Error($"{ns.Device} is active, specify --force for re-configuration");
            return -EBusy;
        }
        bool zeroed = ns.Capacity > 0 && InfoBlockWriter.ZeroInfoBlock(region.Dimm.Media!, ns.Dpa, ns.Capacity);
        if (!ns.IsLabelled)
        {
            // A label-less namespace stays, disabled, until something enables it again.
            region.Dimm.Bindings?.SetNamespaceEnabled(ns.BindingKey, false);
        }
        return zeroed ? 0 : 1;
    }

    /// <summary>
    /// namespace_destroy: 0 destroyed, 1 skipped, negative errno. With <paramref name="keepDevice"/>
    /// (reconfigure) the namespace made next takes over the device and its name.
    /// </summary>
    private static int Destroy(NdctlRegion region, NdctlNamespace ns, bool force, Session session, bool keepDevice = false)
    {
        int rc = PrepareReconfigure(region, ns, force, session);
        if (rc < 0 || !ns.IsLabelled)
        {
            // A label-less namespace only loses its info block (counted when there was one).
            return rc;
        }
        if (ns.Capacity == 0)
        {
            return 1;
        }
        KernelLabelWriter.TryOpen(region.Dimm.Labels)?.Delete(ns.RawUuid!.Value);
        if (keepDevice)
        {
            region.Dimm.Bindings?.DeviceIds?.Reconfiguring(ns.RawUuid!.Value);
        }
        else
        {
            region.Dimm.Bindings?.DeviceIds?.Destroyed(ns.RawUuid!.Value, ns.Name);
        }
        // The namespace is gone: a later one with its key starts enabled.
        region.Dimm.Bindings?.SetNamespaceEnabled(ns.BindingKey, true);
        return 0;
    }

    /// <summary>ndctl region.c's do_xable_region.</summary>
    private static int XableRegion(IReadOnlyList<string> args, IReadOnlyList<NdctlDimm> dimms, Session session, string action)
    {
        string usage = $"ndctl {action}-region <region> [<options>]";
        NdctlOptions? options = NdctlOptions.TryParse(args, RegionOptions, out string? optionError);
        if (options is null)
        {
            session.Io.Error.WriteLine($"  Error: {optionError}");
            return Usage(session, usage);
        }
        if (options.HelpRequested)
        {
            return Usage(session, usage);
        }
        if (options.Arguments.Count == 0)
        {
            session.Error($"specify a region to {action}, or \"all\"");
            return Usage(session, usage);
        }
        int count = 0;
        foreach (string name in options.Arguments)
        {
            foreach (NdctlRegion region in Regions(dimms, name))
            {
                if (region.Dimm.Bindings?.SetRegionEnabled(action == "enable") == false)
                {
                    // libndctl's log line; the kernel's reason goes to its log.
                    session.Io.Error.WriteLine($"libndctl: ndctl_region_{action}: {region.Device}: failed to {action}");
                    continue;
                }
                count++;
            }
        }
        string past = action + "d";
        session.Io.Error.WriteLine(count == 0 ? $"{past} 0 regions" : $"{past} {count} region{(count > 1 ? "s" : "")}");
        return 0;
    }
}
