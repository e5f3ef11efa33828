using System.Globalization;
using System.Text;
using Vnvdimm.Formats.InfoBlocks;

namespace Vnvdimm.Ndctl;

/// <summary>
/// check-namespace, clear-errors and read-infoblock, as ndctl 76 runs them on Linux 6.1 under QEMU
/// 7.2 (tests/Fixtures/ndctl-76/maintenance): QEMU's NFIT offers no address range scrub, so
/// clear-errors cannot learn the scrub state; check-namespace and read-infoblock want the
/// namespace disabled and read its raw first 8 KiB.
/// </summary>
internal static partial class NamespaceCommands
{
    /// <summary>ndctl's INFOBLOCK_SZ: what read-infoblock reads from the start of the raw namespace.</summary>
    private const int InfoBlockArea = 2 * InfoBlock.Size;

    /// <summary>namespace_check: a disabled namespace whose BTT info block (v1.1 at 4 KiB, v2.0 at 0) validates.</summary>
    private static int Check(NdctlRegion region, NdctlNamespace ns, Session session)
    {
        string prefix = $"{ns.Device}: namespace_check: ";
        if (ns.IsActive)
        {
            session.Io.Error.WriteLine($"{prefix}{ns.Device}: check aborted, namespace online");
            return -EBusy;
        }
        byte[] area = ReadRawStart(region, ns);
        bool found = area.Length == InfoBlockArea && (ValidBtt(area.AsSpan((int)InfoBlock.NamespaceOffset, InfoBlock.Size)) || ValidBtt(area.AsSpan(0, InfoBlock.Size)));
        if (!found)
        {
            session.Io.Error.WriteLine($"{prefix}Unable to recover any BTT info blocks");
            session.Io.Error.WriteLine($"{prefix}This may not be a sector mode namespace");
            return -ENxio;
        }
        return 0;

        static bool ValidBtt(ReadOnlySpan<byte> block) => BttInfoBlock.TryRead(block, out BttInfoBlock? btt, out _) && btt!.ChecksumMatches;
    }

    /// <summary>namespace_clear_bb: the scrub state comes from address range scrub, which QEMU does not implement.</summary>
    private static int ClearErrors(NdctlNamespace ns, Session session)
    {
        session.Error($"{ns.Device}: Unable to determine scrub state: {StrError(EOpNotSupp)}");
        return -EOpNotSupp;
    }

    /// <summary>What read-infoblock collected over the namespaces it read: raw areas, or parsed blocks.</summary>
    private sealed class InfoBlockResults
    {
        public List<byte[]> Raw { get; } = [];
        public List<JsonC.Object> Parsed { get; } = [];
        public bool Any => Raw.Count > 0 || Parsed.Count > 0;
    }

    /// <summary>namespace_rw_infoblock (read): a disabled namespace's first 8 KiB, raw or parsed.</summary>
    private static int ReadInfoBlock(NdctlRegion region, NdctlNamespace ns, NdctlOptions options, InfoBlockResults results)
    {
        if (ns.IsActive)
        {
            return -EBusy;
        }
        byte[] area = ReadRawStart(region, ns);
        if (area.Length < InfoBlockArea)
        {
            return -EIo;
        }
        if (!options.Has("json") && !options.Has("human"))
        {
            results.Raw.Add(area);
            return 0;
        }
        bool human = options.Has("human");
        bool verify = options.Has("verify");
        Guid parent = ns.RawUuid ?? Guid.Empty;
        bool Accept(Guid checkedParent, bool checksumMatches) => !verify || (checksumMatches && (parent == Guid.Empty || checkedParent == parent));
        // parse_namespace_infoblock's order: BTT v1 at 4 KiB, BTT v2 at 0, then a pfn or dax block at 4 KiB.
        foreach (int offset in new[] { (int)InfoBlock.NamespaceOffset, 0 })
        {
            if (BttInfoBlock.TryRead(area.AsSpan(offset, InfoBlock.Size), out BttInfoBlock? btt, out _) && Accept(btt!.ParentUuid, btt.ChecksumMatches))
            {
                results.Parsed.Add(BttJson(ns.Device, btt, human));
            }
        }
        if (PfnInfoBlock.TryRead(area.AsSpan((int)InfoBlock.NamespaceOffset, InfoBlock.Size), out PfnInfoBlock? pfn, out _) && Accept(pfn!.ParentUuid, pfn.ChecksumMatches))
        {
            results.Parsed.Add(PfnJson(ns.Device, pfn, human));
        }
        return 0;
    }

    /// <summary>Writes what read-infoblock collected: raw areas as they are, parsed blocks as ndctl's JSON array.</summary>
    private static int WriteInfoBlocks(InfoBlockResults results, NdctlOptions options, Session session, int rc)
    {
        Stream output = session.Io.Output;
        Stream? file = null;
        if (options.Value("output") is string path)
        {
            try
            {
                file = session.Io.Files.Create(path);
                output = file;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                session.Io.Error.WriteLine($"failed to open: {path}: ({e.Message})");
                return -ENxio;
            }
        }
        using (file)
        {
            foreach (byte[] raw in results.Raw)
            {
                output.Write(raw);
            }
            if (options.Has("json") || options.Has("human"))
            {
                output.Write(Encoding.UTF8.GetBytes(JsonC.ToPrettyString(results.Parsed) + "\n"));
            }
            output.Flush();
        }
        return rc;
    }

    private static byte[] ReadRawStart(NdctlRegion region, NdctlNamespace ns)
    {
        if (ns.Capacity < InfoBlockArea || region.Dimm.Media is not IDimmMedia media)
        {
            return [];
        }
        byte[] area = new byte[InfoBlockArea];
        media.Read(ns.Dpa, area);
        return area;
    }

    private static JsonC.Object Header(string device, string signature, Guid uuid, Guid parent, uint flags, ushort major, ushort minor, bool human) => new()
    {
        { "dev", device },
        { "signature", signature },
        { "uuid", uuid.ToString() },
        { "parent_uuid", parent.ToString() },
        { "flags", HexField(flags, human) },
        { "version", string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}") },
    };

    // util_json_object_hex: a number, or "0x…" with --human.
    private static object HexField(ulong value, bool human) => human ? JsonC.Hex(value) : new JsonC.Raw(value.ToString(CultureInfo.InvariantCulture));

    private static JsonC.Raw Int(long value) => new(value.ToString(CultureInfo.InvariantCulture));

    private static JsonC.Object BttJson(string device, BttInfoBlock btt, bool human)
    {
        JsonC.Object json = Header(device, "BTT_ARENA_INFO", btt.Uuid, btt.ParentUuid, btt.Flags, btt.VersionMajor, btt.VersionMinor, human);
        json.Add("external_lbasize", Int(btt.ExternalLbaSize));
        json.Add("external_nlba", Int((int)btt.ExternalNLba));
        json.Add("internal_lbasize", Int(btt.InternalLbaSize));
        json.Add("internal_nlba", Int((int)btt.InternalNLba));
        json.Add("nfree", Int(btt.NFree));
        json.Add("infosize", Int(btt.InfoSize));
        json.Add("nextoff", HexField(btt.NextOff, human));
        json.Add("dataoff", HexField(btt.DataOff, human));
        json.Add("mapoff", HexField(btt.MapOff, human));
        json.Add("logoff", HexField(btt.LogOff, human));
        json.Add("info2off", HexField(btt.Info2Off, human));
        return json;
    }

    private static JsonC.Object PfnJson(string device, PfnInfoBlock pfn, bool human)
    {
        string signature = pfn.Kind == PfnInfoBlockKind.Pfn ? "NVDIMM_PFN_INFO" : "NVDIMM_DAX_INFO";
        JsonC.Object json = Header(device, signature, pfn.Uuid, pfn.ParentUuid, pfn.Flags, pfn.VersionMajor, pfn.VersionMinor, human);
        json.Add("dataoff", HexField(pfn.DataOffset, human));
        json.Add("npfns", HexField(pfn.NPfns, human));
        json.Add("mode", Int((int)pfn.Mode));
        json.Add("start_pad", HexField(pfn.StartPad, human));
        json.Add("end_trunc", HexField(pfn.EndTrunc, human));
        json.Add("align", HexField(pfn.Align, human));
        json.Add("page_size", HexField(pfn.PageSizeField, human));
        json.Add("page_struct_size", HexField(pfn.PageStructSize, human));
        return json;
    }
}
