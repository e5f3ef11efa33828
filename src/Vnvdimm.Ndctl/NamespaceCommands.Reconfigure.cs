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
        if (!ns.IsLabelled && ns.Capacity > 0)
        {
            // A label-less namespace is reused in place: only its info block changes.
            session.Error($"{ns.Device}: reconfiguring a label-less namespace is not supported");
            return -EInval;
        }
        // validate_namespace_options with the namespace: what the options leave open comes from it.
        CreateParameters wanted = p with
        {
            Mode = options.Value("mode") is null ? ns.Mode : p.Mode,
            ModeDefault = false,
            Size = p.Size ?? (ns.Capacity > 0 ? ns.Capacity : null),
            Name = options.Value("name") ?? ns.Name,
            SectorSize = p.SectorSize ?? ns.SectorSize ?? LabelSectorSize(region, ns),
        };
        // ndctl validates the options before it destroys anything: a bad one loses nothing.
        int rc = ValidateOptions(region, wanted, wanted.Size ?? 0, session, out _, out _);
        if (rc != 0)
        {
            return rc;
        }
        rc = Destroy(region, ns, wanted.Force, session);
        if (rc < 0)
        {
            return rc;
        }
        NdctlRegion after = RegionScanner.Scan(RegionNumber(region), region.Dimm);
        rc = CreateIn(after, wanted, session);
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
