using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Guest.Kernel;

namespace Vnvdimm.Guest.Nd;

/// <summary>
/// An NVDIMM bus (ndbusN) as libnvdimm keeps it: its DIMMs and regions in registration order, with
/// the nvdimm driver's probe (label area) and the region driver's probe (namespaces) run as each
/// device is registered. The bus provider (the NFIT driver) registers the devices.
/// </summary>
public sealed class NvdimmBus
{
    private readonly List<Nvdimm> _dimms = [];
    private readonly List<NdRegion> _regions = [];
    private readonly NdIds _ids;
    private readonly KernelLog _log;

    internal NvdimmBus(int id, string provider, NdIds ids, KernelLog log)
    {
        Id = id;
        Provider = provider;
        _ids = ids;
        _log = log;
    }

    public int Id { get; }

    public string Name => $"ndbus{Id}";

    /// <summary>"ACPI.NFIT".</summary>
    public string Provider { get; }

    /// <summary>DIMMs in registration order (nmem ids ascending).</summary>
    public IReadOnlyList<Nvdimm> Dimms => _dimms;

    /// <summary>Regions in registration order (region ids ascending).</summary>
    public IReadOnlyList<NdRegion> Regions => _regions;

    public Nvdimm? FindDimm(uint handle) => _dimms.FirstOrDefault(d => d.Handle == handle);

    /// <summary>nvdimm_create, then the nvdimm driver's probe.</summary>
    internal Nvdimm AddDimm(uint handle, ushort physicalId, string? uniqueId, NfitMemoryDeviceStateFlags flags, ulong commandMask, INvdimmCommands? commands)
    {
        var dimm = new Nvdimm(this, _ids.NextDimm(), handle, physicalId, uniqueId, flags, commandMask, commands);
        _dimms.Add(dimm);
        Probe(dimm);
        return dimm;
    }

    /// <summary>nd_region_create (null with Linux's message when a mapping is not page aligned), then the region driver's probe.</summary>
    internal NdRegion? AddRegion(NdRegionDescriptor descriptor, string caller)
    {
        for (int i = 0; i < descriptor.Mappings.Count; i++)
        {
            NdMapping mapping = descriptor.Mappings[i];
            if (((mapping.Start | mapping.Size) % 4096) != 0)
            {
                _log.Device(Name, $"{caller}: {mapping.Dimm.Name} mapping{i} is not 4096 aligned");
                return null;
            }
        }
        var region = new NdRegion(this, _ids.NextRegion(), descriptor);
        _regions.Add(region);
        Probe(region);
        return region;
    }

    /// <summary>Unbinds the nvdimm driver (ndctl disable-dimm; ndctl refuses while a region over it is enabled).</summary>
    internal void DisableDimm(Nvdimm dimm) => dimm.IsEnabled = false;

    /// <summary>Binds the nvdimm driver again: its probe re-reads the label area.</summary>
    internal void EnableDimm(Nvdimm dimm)
    {
        if (!dimm.IsEnabled)
        {
            Probe(dimm);
        }
    }

    /// <summary>Unbinds the region driver: its namespaces and their block devices go away.</summary>
    internal void DisableRegion(NdRegion region)
    {
        region.ClearNamespaces();
        region.IsEnabled = false;
    }

    /// <summary>Binds the region driver again (nd_region_probe); false, as Linux, while one of its DIMMs is disabled.</summary>
    internal bool EnableRegion(NdRegion region)
    {
        if (region.IsEnabled)
        {
            return true;
        }
        foreach (NdMapping mapping in region.Mappings)
        {
            if (!mapping.Dimm.IsEnabled)
            {
                _log.Device($"nd_region {region.Name}", $"{mapping.Dimm.Name}: is disabled, failing probe");
                return false;
            }
        }
        Probe(region);
        return true;
    }

    // nvdimm_probe: label-less DIMMs (no config-data command) bind at once; others must have a
    // readable label area, whose valid index makes them "labeling".
    private void Probe(Nvdimm dimm)
    {
        if (!dimm.Supports(NdCommand.GetConfigData))
        {
            dimm.IsEnabled = true;
            return;
        }
        int rc = dimm.GetConfigSize(out NdConfigSize area);
        if (rc == -Errno.EACCES)
        {
            dimm.IsLocked = true;
            rc = 0;
        }
        if (rc == 0)
        {
            dimm.ConfigArea = area;
            rc = ReadLabelArea(dimm, area);
        }
        if (rc != 0)
        {
            // Linux 6.1's really_probe wording.
            _log.Write($"nvdimm: probe of {dimm.Name} failed with error {rc}");
            return;
        }
        dimm.IsEnabled = true;
    }

    // nd_label_data_init: read both index blocks in as few max-transfer reads as possible,
    // validate them (nd_label_validate, Formats' LabelArea), then read only the in-use label slots.
    private int ReadLabelArea(Nvdimm dimm, NdConfigSize area)
    {
        if (area.Status != 0 || area.MaxTransfer == 0)
        {
            _log.Device(dimm.Name, $"failed to init config data area: ({area.MaxTransfer}:{area.ConfigSize})");
            return -Errno.ENXIO;
        }
        int configSize = (int)Math.Min(area.ConfigSize, int.MaxValue);
        // The index is largest with 128-byte labels: read that much first.
        if (!LabelAreaGeometry.TryCompute(configSize, LabelAreaGeometry.LabelSizeV11, out LabelAreaGeometry largest, out string? tooSmall))
        {
            _log.Device(dimm.Name, tooSmall!);
            return -Errno.ENXIO;
        }
        int readSize = 2 * largest.IndexBlockSize;
        var data = new byte[configSize];
        long maxTransfer = Math.Min(area.MaxTransfer, configSize);
        if (readSize < maxTransfer)
        {
            // Trim the waste of the last read, but read both index blocks in one go.
            long reads = (configSize + maxTransfer - 1) / maxTransfer;
            maxTransfer -= (maxTransfer - 1 - ((configSize - 1) % maxTransfer)) / reads;
            maxTransfer = Math.Max(maxTransfer, readSize);
        }
        long read = Math.Min((readSize + maxTransfer - 1) / maxTransfer * maxTransfer, configSize);
        int rc = GetConfigData(dimm, area, data, 0, (int)read);
        if (rc != 0)
        {
            return rc;
        }
        dimm.LabelData = data;
        if (!LabelArea.TryRead(data, out LabelArea? labels, out _))
        {
            return 0;
        }
        LabelAreaGeometry geometry = labels!.Geometry;
        dimm.CurrentIndex = labels.Current;
        dimm.LabelSize = geometry.LabelSize;
        NamespaceIndexBlock index = labels.CurrentIndex;
        for (int slot = 0; slot < index.SlotCount && slot < geometry.SlotCount; slot++)
        {
            long offset = geometry.SlotOffset(slot);
            if (index.IsSlotFree(slot))
            {
                data.AsSpan((int)offset, geometry.LabelSize).Clear();
                continue;
            }
            if (offset + geometry.LabelSize <= read)
            {
                continue;
            }
            read = Math.Max(read, offset);
            long more = (offset + geometry.LabelSize - read + maxTransfer - 1) / maxTransfer * maxTransfer;
            more = Math.Min(more, configSize - read);
            rc = GetConfigData(dimm, area, data, (int)read, (int)more);
            if (rc != 0)
            {
                return rc;
            }
            read += more;
        }
        // nd_label_reserve_dpa: empty or overlapping label extents fail the probe; the DIMM is then not
        // labeling and its region comes up label-less.
        if (LabelArea.TryRead(data, out LabelArea? all, out _) && all!.ReserveDpaFails())
        {
            return -Errno.EBUSY;
        }
        dimm.IsLabeling = true;
        return 0;
    }

    // nvdimm_get_config_data: chunks of at most the max transfer.
    private static int GetConfigData(Nvdimm dimm, NdConfigSize area, byte[] data, int offset, int length)
    {
        if ((ulong)offset + (ulong)length > area.ConfigSize)
        {
            return -Errno.ENXIO;
        }
        int chunk = (int)Math.Min(area.MaxTransfer, (uint)length);
        for (int done = 0; done < length; done += chunk)
        {
            int rc = dimm.GetConfigData((uint)(offset + done), data.AsSpan(offset + done, Math.Min(chunk, length - done)));
            if (rc != 0)
            {
                return rc;
            }
        }
        return 0;
    }

    // nd_region_probe: a label-less region gets one "io" namespace spanning it, which the pmem
    // driver claims as pmemN. A labelled region's namespaces are decoded from its labels by the
    // ndctl layer each time they are listed, so the bus keeps only this placeholder for it.
    private void Probe(NdRegion region)
    {
        region.IsLabelled = region.Mappings.Any(m => m.Dimm.IsLabeling);
        if (region.IsLabelled)
        {
            _log.Device(region.Name, "labelled region: namespaces are read from the label area");
        }
        var ns = new NdNamespace(region, 0, labelled: false, region.Size)
        {
            BlockDevice = region.Type == NdRegionType.Pmem ? $"pmem{region.Id}" : null,
        };
        region.AddNamespace(ns);
        if (region.IsReadOnly)
        {
            _log.Write($"nd_pmem {ns.Name}: region{region.Id} read-only, marking pmem{region.Id} read-only");
        }
        region.IsEnabled = true;
    }
}
