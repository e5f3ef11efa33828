using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Ndctl;

/// <summary>
/// create-namespace -e: ndctl 76's namespace_reconfig. The namespace is destroyed (an active one
/// only with -f) and a new one is set up in its region with the old one's size, name and sector
/// size unless options give others, and its mode unless -m does. As Linux 6.1 showed under QEMU
/// (tests/Fixtures/ndctl-76/reconfigure): the label uuid is new (unless -u), the new labels sit at
/// the lowest free DPA (where the old ones were), and the personality gets a new uuid.
/// </summary>
internal static partial class NamespaceCommands
{
    private static int Reconfigure(string device, NdctlOptions options, CreateParameters p, IReadOnlyList<NdctlDimm> dimms,
        Session session)
    {
        int rc = -ENxio;
        foreach (NdctlRegion region in Regions(dimms, options.Value("region")))
        {
            NdctlNamespace? ns = region.IsEnabled ? region.Namespaces.FirstOrDefault(n => n.Device == device) : null;
            if (ns is null)
            {
                continue;
            }
            rc = ReconfigureIn(region, ns, options, p, session);
            break;
        }
        if (rc < 0 && session.ErrCount == 0)
        {
            session.Io.Error.WriteLine($"failed to reconfigure namespace: {StrError(-rc)}");
        }
        return Exit(rc);
    }

    private static int ReconfigureIn(NdctlRegion region, NdctlNamespace ns, NdctlOptions options, CreateParameters p, Session session)
    {
        NamespaceMode mode = options.Value("mode") is null ? ns.Mode : p.Mode;
        if (!ns.IsLabelled && ns.Capacity > 0)
        {
            return ReconfigureLabelless(region, ns, options, p with { Mode = mode, ModeDefault = false, Align = p.Align ?? KeptAlign(ns, mode) }, session);
        }
        // validate_namespace_options with the namespace: what the options leave open comes from it.
        CreateParameters wanted = p with
        {
            Mode = mode,
            ModeDefault = false,
            Size = p.Size ?? (ns.Capacity > 0 ? ns.Capacity : null),
            Name = options.Value("name") ?? ns.Name,
            SectorSize = p.SectorSize ?? ns.SectorSize ?? LabelSectorSize(region, ns),
            Align = p.Align ?? KeptAlign(ns, mode),
        };
        // ndctl validates the options before it destroys anything: a bad one loses nothing.
        int rc = ValidateOptions(region, wanted, wanted.Size ?? 0, session, out _, out _);
        if (rc != 0)
        {
            return rc;
        }
        // setup_namespace reuses the device: the new labels keep its name.
        rc = Destroy(region, ns, wanted.Force, session, keepDevice: true);
        if (rc < 0)
        {
            return rc;
        }
        NdctlRegion after = RegionScanner.Scan(RegionNumber(region), region.Dimm);
        rc = CreateIn(after, wanted, session);
        return rc == -EAgain ? -ENodev : rc;
    }

    /// <summary>Reconfigured into the mode it has, an fsdax or devdax namespace keeps its alignment.</summary>
    private static ulong? KeptAlign(NdctlNamespace ns, NamespaceMode mode) =>
        mode == ns.Mode && mode is NamespaceMode.Fsdax or NamespaceMode.Devdax && ns.Align > 0 ? ns.Align : null;

    /// <summary>
    /// namespace_reconfig on a label-less (io) namespace, as Linux 6.1 and ndctl 76 do it under QEMU
    /// (tests/Fixtures/ndctl-76/labelless): the size is the region's, the first 8 KiB are zeroed,
    /// and then either labels are initialized (autolabel, on by default, when the DIMM has a label
    /// area) and a labelled namespace of the region's size is made, or the namespace stays
    /// label-less and its new personality is written in place: a pfn, dax or btt info block with a
    /// new uuid and no parent. -n and -u have nothing to set on it.
    /// </summary>
    private static int ReconfigureLabelless(NdctlRegion region, NdctlNamespace ns, NdctlOptions options, CreateParameters p, Session session)
    {
        ulong size = p.Size ?? ns.Capacity;
        if (size != region.Size)
        {
            session.Error("Legacy / label-less namespaces do not support sub-dividing a region");
            session.Error("Retry without -s/--size=");
            return -EInval;
        }
        // A btt's sector size (set_defaults gives -m sector 4096); an io namespace has none of its own.
        ulong sectorSize = p.SectorSize ?? 4096;
        int rc = ValidateOptions(region, p with { SectorSize = p.Mode == NamespaceMode.Sector ? sectorSize : null }, size, session, out ulong align, out _);
        if (rc != 0)
        {
            return rc;
        }
        if (p.SectorSize is ulong given && p.Mode != NamespaceMode.Sector)
        {
            session.Err("create namespace", $"{region.Device}: does not support namespace sector_size {given}");
            return -EInval;
        }
        rc = PrepareReconfigure(region, ns, p.Force, session);
        if (rc < 0)
        {
            return rc;
        }

        bool autolabel = !options.IsNegated("autolabel");
        if (autolabel && region.Dimm.Labels.Size > 0)
        {
            return ReconfigureWithNewLabels(region, p with { Size = size, SectorSize = p.SectorSize ?? SectorSizeUnset }, session);
        }

        IDimmMedia media = region.Dimm.Media!;
        Guid personality = session.Io.NewUuid();
        if (p.Mode is NamespaceMode.Fsdax or NamespaceMode.Devdax)
        {
            PfnInfoBlock? block = PfnInfoBlock.Create(p.Mode == NamespaceMode.Fsdax ? PfnInfoBlockKind.Pfn : PfnInfoBlockKind.Dax,
                personality, Guid.Empty, ns.Dpa, size, (uint)align, p.Location, out _);
            if (block is null)
            {
                session.Error($"{ns.Device}: failed to enable");
                return -ENxio;
            }
            InfoBlockWriter.WritePfn(media, ns.Dpa, block);
        }
        else if (p.Mode == NamespaceMode.Sector
            && !InfoBlockWriter.TryWriteBtt(media, ns.Dpa, size, (uint)sectorSize, personality, Guid.Empty, btt2: false))
        {
            session.Error($"{ns.Device}: failed to enable");
            return -ENxio;
        }
        region.Dimm.Bindings?.SetNamespaceEnabled(ns.BindingKey, true);
        PrintCreated(region, n => n.Device == ns.Device, session);
        return 0;
    }

    /// <summary>
    /// enable_labels: fresh v1.2 index blocks on the DIMM (the label slots keep what they held, as
    /// init-labels), then a labelled namespace of the old one's size in the region now labelled.
    /// </summary>
    private static int ReconfigureWithNewLabels(NdctlRegion region, CreateParameters p, Session session)
    {
        ILabelStore labels = region.Dimm.Labels;
        if (!LabelAreaGeometry.TryCompute(labels.Size, LabelAreaGeometry.LabelSizeV12, out LabelAreaGeometry geometry, out _))
        {
            session.Err("create namespace", $"{region.Device}: failed to initialize labels");
            return -EBusy;
        }
        byte[] index = new byte[geometry.LabelsOffset];
        labels.Read(0, index);
        LabelArea.WriteInitialIndex(index, geometry);
        labels.Write(0, index);
        // enable_labels re-probes the region: its namespaces are numbered afresh.
        region.Dimm.Bindings?.DeviceIds?.Reset();
        NdctlRegion labelled = RegionScanner.Scan(RegionNumber(region), region.Dimm);
        int rc = CreateIn(labelled, p, session);
        return rc == -EAgain ? -ENodev : rc;
    }

    /// <summary>The logical block size the namespace's labels carry (a devdax namespace has no block device).</summary>
    private static ulong LabelSectorSize(NdctlRegion region, NdctlNamespace ns)
    {
        KernelLabelWriter? labels = KernelLabelWriter.TryOpen(region.Dimm.Labels);
        ulong size = labels?.Labels.FirstOrDefault(l => l.Uuid == ns.RawUuid)?.LbaSize ?? 0;
        return size == 0 ? 512 : size;
    }

    private static int RegionNumber(NdctlRegion region) =>
        int.Parse(region.Device.AsSpan("region".Length), System.Globalization.CultureInfo.InvariantCulture);
}
