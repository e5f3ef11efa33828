using System.Buffers.Binary;
using System.Text;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Guest.Console.Json;
using Vnvdimm.Guest.Nd;
using L = Vnvdimm.Formats.Labels.NamespaceLabelLayout;

namespace Vnvdimm.Guest.Console;

/// <summary>
/// <c>ndctl read-labels</c> (ndctl/dimm.c): the label area of each named DIMM, read through the
/// kernel's Get Config Size / Get Config Data commands (so through the NFIT driver's _DSM or _LSR
/// calls, in max-transfer chunks), written raw to -o FILE (or standard output), or parsed with -j.
/// Ends with "read N nmem(s)" on standard error, as ndctl does.
/// </summary>
internal sealed class NdctlReadLabels(IReadOnlyList<NvdimmBus> buses, Stream stdout, TextWriter stderr)
{
    public const string Usage = "ndctl read-labels <nmem0> [<nmem1>..<nmemN>] [-o <filename>]";

    public static readonly IReadOnlyList<CommandOption> Options =
    [
        new('b', "bus", OptionKind.String, "<nmem> must be on a bus with an id/provider of <bus-id>", "bus-id"),
        new('v', "verbose", OptionKind.Boolean, "turn on debug"),
        new('s', "size", OptionKind.UnsignedInteger, "number of label bytes to operate"),
        new('O', "offset", OptionKind.UnsignedInteger, "offset into the label area to start operation"),
        new('o', "output", OptionKind.String, "filename to write label area contents", "output-file"),
        new('I', "index", OptionKind.Boolean, "limit read to the index block area"),
        new('j', "json", OptionKind.Boolean, "parse label data into json"),
        new('u', "human", OptionKind.Boolean, "use human friendly number formats (implies --json)"),
    ];

    private const int LabelsStart = 2 * LabelAreaGeometry.IndexAlignment;
    private const int UsageExit = 129;

    private uint _length;
    private uint _offset;
    private bool _index;
    private bool _human;

    public int Run(IReadOnlyList<string> args)
    {
        // usage_with_options exits ndctl (status 129) before it reports a count.
        if (Action(args) is not { } count)
        {
            return UsageExit;
        }
        stderr.Write($"read {Math.Max(count, 0)} nmem{(count > 1 ? "s" : "")}\n");
        return count >= 0 ? 0 : 1;
    }

    // dimm_action: count of DIMMs read, a negative errno when none was, or null after the usage.
    private int? Action(IReadOnlyList<string> args)
    {
        ParsedOptions? parsed = OptionParser.Parse(args, Options, Usage, stderr);
        if (parsed is null)
        {
            return null;
        }
        var names = parsed.Arguments.ToList();
        if (names.Count == 0)
        {
            OptionParser.PrintUsage(Options, Usage, stderr);
            return null;
        }
        int invalid = 0;
        foreach (string name in names)
        {
            if (name == "all")
            {
                names = ["all"];
                break;
            }
            if (!IsDimmName(name))
            {
                stderr.Write($"'{name}' is not a valid dimm name\n");
                invalid++;
            }
        }
        if (invalid == names.Count)
        {
            OptionParser.PrintUsage(Options, Usage, stderr);
            return null;
        }
        _human = parsed.IsSet("human");
        _index = parsed.IsSet("index");
        bool json = parsed.IsSet("json") || _human;
        OptionParser.TryParseUnsigned(parsed.Value("size") ?? "0", out _length);
        OptionParser.TryParseUnsigned(parsed.Value("offset") ?? "0", out _offset);
        if (json && (_length != 0 || _offset != 0))
        {
            stderr.Write("--size and --offset are incompatible with --json\n");
            OptionParser.PrintUsage(Options, Usage, stderr);
            return null;
        }
        if (_index && _length != 0)
        {
            stderr.Write("pick either --size, or --index, not both\n");
            OptionParser.PrintUsage(Options, Usage, stderr);
            return null;
        }

        string? outputFile = parsed.Value("output");
        Stream output = stdout;
        if (outputFile is not null)
        {
            try
            {
                output = new FileStream(outputFile, FileMode.Create, FileAccess.ReadWrite);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.Write($"failed to open: {outputFile}: ({StrError(e)})\n");
                return e is UnauthorizedAccessException ? -Errno.EACCES : -2;
            }
        }
        try
        {
            var jdimms = json ? new JsonCArray() : null;
            int count = 0, error = 0;
            foreach (string name in names)
            {
                if (!IsDimmName(name) && name != "all")
                {
                    continue;
                }
                foreach (NvdimmBus bus in buses.Where(b => NdctlFilters.Bus(b, parsed.Value("bus"))))
                {
                    foreach (Nvdimm dimm in KernfsOrder.Sort(bus.Dimms, d => d.Name).Where(d => NdctlFilters.Dimm(d, name)))
                    {
                        int rc = Read(dimm, output, jdimms);
                        if (rc == 0)
                        {
                            count++;
                        }
                        else if (error == 0)
                        {
                            error = rc;
                        }
                    }
                }
            }
            if (jdimms is { Count: > 0 })
            {
                // Human (lone object) display only on a terminal; the console is a pipe.
                string text = jdimms.ToJsonString() + "\n";
                output.Write(Encoding.UTF8.GetBytes(text));
            }
            return count > 0 ? count : error;
        }
        finally
        {
            output.Flush();
            if (output != stdout)
            {
                output.Dispose();
            }
        }
    }

    private static bool IsDimmName(string name) =>
        name.StartsWith("nmem", StringComparison.Ordinal) && name.Length > 4 && char.IsAsciiDigit(name[4]);

    private static string StrError(Exception e) => e switch
    {
        UnauthorizedAccessException => "Permission denied",
        DirectoryNotFoundException or FileNotFoundException => "No such file or directory",
        _ => e.Message,
    };

    // action_read with ndctl_dimm_read_label_extent / _index.
    private int Read(Nvdimm dimm, Stream output, JsonCArray? jdimms)
    {
        if (dimm.GetConfigSize(out NdConfigSize area) != 0 || area.MaxTransfer == 0)
        {
            return -Errno.EINVAL;
        }
        uint length = _length, offset = _offset;
        if (_index)
        {
            // ndctl sizes the index area for 128-byte labels.
            length = LabelAreaGeometry.TryCompute((int)Math.Min(area.ConfigSize, int.MaxValue), LabelAreaGeometry.LabelSizeV11, out LabelAreaGeometry geometry, out _)
                ? (uint)(2 * geometry.IndexBlockSize)
                : 0;
            offset = 0;
        }
        else if (length == 0)
        {
            length = area.ConfigSize;
        }
        if ((ulong)offset + length > area.ConfigSize)
        {
            return -Errno.EINVAL;
        }
        var data = new byte[length];
        for (uint done = 0; done < length; done += area.MaxTransfer)
        {
            int chunk = (int)Math.Min(area.MaxTransfer, length - done);
            if (dimm.GetConfigData(offset + done, data.AsSpan((int)done, chunk)) != 0)
            {
                return -Errno.EINVAL;
            }
        }
        if (jdimms is not null)
        {
            JsonCObject? jdimm = DumpJson(dimm, data);
            if (jdimm is null)
            {
                return -Errno.ENOMEM;
            }
            jdimms.Add(jdimm);
            return 0;
        }
        // rw_bin walks from the start offset in 4 KiB steps but indexes the extent it read from 0
        // with that offset: with -O the output is shifted and short, as ndctl's own is.
        for (long position = offset; position < offset + (long)length; position += 4096)
        {
            long chunk = Math.Min(4096, length - position);
            if (chunk <= 0 || position + chunk > length)
            {
                return -Errno.EINVAL;
            }
            output.Write(data, (int)position, (int)chunk);
        }
        return 0;
    }

    private JsonCObject? DumpJson(Nvdimm dimm, byte[] data)
    {
        var jindex = new JsonCArray();
        for (int offset = 0; offset < LabelsStart; offset += LabelAreaGeometry.IndexAlignment)
        {
            if (data.Length - offset < NamespaceIndexBlockLayout.HeaderSize)
            {
                break;
            }
            ReadOnlySpan<byte> block = data.AsSpan(offset, NamespaceIndexBlockLayout.HeaderSize);
            jindex.Add(new JsonCObject()
                .Add("signature", new JsonCString(CString(block[..(NamespaceIndexBlockLayout.SignatureLength - 1)])))
                .Add("major", new JsonCInteger(BinaryPrimitives.ReadUInt16LittleEndian(block[NamespaceIndexBlockLayout.MajorOffset..])))
                .Add("minor", new JsonCInteger(BinaryPrimitives.ReadUInt16LittleEndian(block[NamespaceIndexBlockLayout.MinorOffset..])))
                .Add("labelsize", new JsonCInteger(unchecked((int)(1u << (7 + block[NamespaceIndexBlockLayout.LabelSizeOffset])))))
                .Add("seq", new JsonCInteger(unchecked((int)BinaryPrimitives.ReadUInt32LittleEndian(block[NamespaceIndexBlockLayout.SequenceOffset..]))))
                .Add("nslot", new JsonCInteger(unchecked((int)BinaryPrimitives.ReadUInt32LittleEndian(block[NamespaceIndexBlockLayout.SlotCountOffset..])))));
        }
        if (jindex.Count == 0)
        {
            return null;
        }
        var jdimm = new JsonCObject().Add("dev", new JsonCString(dimm.Name)).Add("index", jindex);
        if (_index)
        {
            return jdimm;
        }
        JsonCArray? labels = DumpLabels(data, LabelSizeOf(data));
        if (labels is null)
        {
            return null;
        }
        return jdimm.Add("label", labels);
    }

    // ndctl guesses the label size from the two blocks' versions: 256 only if more say v1.2 than v1.1.
    private static int LabelSizeOf(byte[] data)
    {
        int v11 = 0, v12 = 0;
        for (int i = 0; i < 2; i++)
        {
            int at = i * LabelAreaGeometry.IndexAlignment;
            if (data.Length < at + NamespaceIndexBlockLayout.HeaderSize)
            {
                continue;
            }
            ushort major = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + NamespaceIndexBlockLayout.MajorOffset));
            ushort minor = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + NamespaceIndexBlockLayout.MinorOffset));
            if (major == 1 && minor == 1)
            {
                v11++;
            }
            else if (major == 1 && minor == 2)
            {
                v12++;
            }
        }
        return v12 > v11 ? 256 : 128;
    }

    // dump_label_json: every slot from byte 512 whose stored slot number matches, free or not.
    private JsonCArray? DumpLabels(byte[] data, int labelSize)
    {
        var labels = new JsonCArray();
        int slot = -1;
        for (int offset = LabelsStart; offset < data.Length; offset += labelSize)
        {
            slot++;
            if (data.Length - offset < labelSize)
            {
                break;
            }
            ReadOnlySpan<byte> label = data.AsSpan(offset, labelSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(label[L.SlotOffset..]) != (uint)slot)
            {
                continue;
            }
            var json = new JsonCObject()
                .Add("uuid", new JsonCString(UuidUnparse(label.Slice(L.UuidOffset, L.UuidLength))))
                .Add("name", new JsonCString(CString(label.Slice(L.NameOffset, L.NameLength - 1))))
                .Add("slot", new JsonCInteger(unchecked((int)BinaryPrimitives.ReadUInt32LittleEndian(label[L.SlotOffset..]))))
                .Add("position", new JsonCInteger(BinaryPrimitives.ReadUInt16LittleEndian(label[L.PositionOffset..])))
                .Add("nlabel", new JsonCInteger(BinaryPrimitives.ReadUInt16LittleEndian(label[L.NLabelOffset..])))
                .Add("flags", JsonCInteger.Hex(BinaryPrimitives.ReadUInt32LittleEndian(label[L.FlagsOffset..]), _human))
                .Add("isetcookie", JsonCInteger.Hex(BinaryPrimitives.ReadUInt64LittleEndian(label[L.InterleaveSetCookieOffset..]), _human))
                .Add("lbasize", new JsonCInteger(unchecked((long)BinaryPrimitives.ReadUInt64LittleEndian(label[L.LbaSizeOffset..]))))
                .Add("dpa", JsonCInteger.Hex(BinaryPrimitives.ReadUInt64LittleEndian(label[L.DpaOffset..]), _human))
                .Add("rawsize", JsonCInteger.Size(BinaryPrimitives.ReadUInt64LittleEndian(label[L.RawSizeOffset..]), _human));
            if (labelSize >= 256)
            {
                json.Add("type_guid", new JsonCString(UuidUnparse(label.Slice(L.TypeGuidOffset, L.GuidLength))));
                json.Add("abstraction_guid", new JsonCString(UuidUnparse(label.Slice(L.AbstractionGuidOffset, L.GuidLength))));
            }
            labels.Add(json);
        }
        return labels.Count > 0 ? labels : null;
    }

    // uuid_unparse: the 16 bytes in order, lower-case, 8-4-4-4-12.
    private static string UuidUnparse(ReadOnlySpan<byte> bytes)
    {
        string hex = Convert.ToHexStringLower(bytes);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
