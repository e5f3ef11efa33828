using System.Globalization;
using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Ndctl;

/// <summary>
/// Builds a region and its namespaces from a DIMM's label area and media as Linux 6.1 does at
/// region probe (research §2.9, §4.1): labels filtered by extent, cookie, type GUID and position;
/// namespaces numbered by DPA plus a zero-size seed; the personality from the info block; a DIMM
/// without a valid index gives one label-less raw namespace spanning the region.
/// </summary>
public static class RegionScanner
{
    /// <summary>MEMREMAP_COMPAT_ALIGN_MAX: the region alignment ndctl shows, unless the region is smaller.</summary>
    public const ulong DefaultRegionAlign = 16UL << 20;

    private const ulong PageSize = 4096;

    /// <summary>ND_MIN_NAMESPACE_SIZE: the smallest namespace a driver will probe.</summary>
    private const ulong MinNamespaceSize = PageSize;

    /// <summary>Sector sizes a pmem namespace supports; any other label lbasize reads as ndctl's default 512.</summary>
    private static readonly uint[] PmemSectorSizes = [512, 4096];

    public static NdctlRegion Scan(int regionId, NdctlDimm dimm)
    {
        IDimmMedia media = dimm.Media ?? throw new InvalidOperationException($"{dimm.Name} has no media to scan");
        ulong size = media.Size / PageSize * PageSize;
        ulong align = size < DefaultRegionAlign ? PageSize : DefaultRegionAlign;
        var messages = new List<string>();
        var region = new NdctlRegion
        {
            Device = $"region{regionId}",
            Dimm = dimm,
            Size = size,
            Align = align,
            MappingOffset = 0,
            MappingLength = size,
            PersistenceDomain = dimm.PersistenceDomain,
        };

        byte[] area = new byte[dimm.Labels.Size];
        dimm.Labels.Read(0, area);
        bool labelled = LabelArea.TryRead(area, out LabelArea? labels, out _);
        if (labelled && labels!.ReserveDpaFails())
        {
            // nd_label_reserve_dpa fails (-EBUSY): the DIMM's probe fails and the region comes up
            // as if it had no labels.
            messages.Add($"nvdimm: probe of {dimm.Name} failed with error -16");
            labelled = false;
        }
        // NDD_LABELING outlives the labels: once a DIMM probed with a valid index, Linux keeps its
        // region labelled (zero-labels after that leaves only the seed, in the disable capture).
        bool stickyLabeling = !labelled && labels is null && dimm.Bindings?.IsLabeling == true;
        if (!labelled && !stickyLabeling)
        {
            // Label-less: one io namespace over the whole region, nothing left to allocate.
            NdctlNamespace io = Personalize(new NdctlNamespace
            {
                Device = $"namespace{regionId}.0",
                Capacity = size,
                Size = size,
                SectorSize = 512,
                BlockDevice = $"pmem{regionId}",
            }, regionId, 0, media, Guid.Empty, messages);
            return Bind(region with { Namespaces = [io], Messages = messages }, dimm.Bindings);
        }

        NdctlDimmIdentity identity = dimm.Identity;
        IReadOnlyList<NamespaceLabel> labelList = labelled ? labels!.Labels : [];
        // Without an index, Linux shows the v1.2 cookie as the region's iset_id (disable capture, step 46).
        ulong cookie = InterleaveSetCookie.ForIndex([identity.CookieMember], labelled ? labels!.CurrentIndex.Minor : (ushort)2);
        ulong altCookie = InterleaveSetCookie.ComputeAlternate([identity.CookieMember]);
        region = region with { InterleaveSetCookie = cookie };

        var accepted = new List<NamespaceLabel>();
        bool failed = false;
        foreach (NamespaceLabel label in labelList)
        {
            string uuid = label.Uuid.ToString();
            if (label.Dpa < region.MappingOffset || label.Dpa >= region.MappingOffset + region.MappingLength)
            {
                continue;
            }
            if (accepted.Any(a => a.Uuid == label.Uuid))
            {
                messages.Add("error: conflicting extents for uuid");
                failed = true;
                break;
            }
            if (label.InterleaveSetCookie != cookie && label.InterleaveSetCookie != altCookie)
            {
                messages.Add($"invalid cookie in label: {uuid}");
                continue;
            }
            bool typeOk = label.LabelSize == LabelAreaGeometry.LabelSizeV11 || label.TypeGuid == NamespaceLabel.PersistentMemoryType;
            if (!typeOk || label.NLabel != 1 || label.Position != 0)
            {
                messages.Add($"{dimm.Name} missing label for {uuid}");
                failed = true;
                break;
            }
            // Dpa is inside the mapping (checked above), so the subtraction cannot wrap; Dpa + RawSize could.
            if (label.RawSize > region.MappingOffset + region.MappingLength - label.Dpa)
            {
                messages.Add($"invalid label for {uuid}");
                failed = true;
                break;
            }
            accepted.Add(label);
        }
        // The DIMM reserved every label's extent at probe, so a region whose probe then fails
        // still reports the capacity its labels leave free.
        (ulong available, ulong largest) = Available(region, labelList, align);
        if (failed)
        {
            return region with { IsEnabled = false, AvailableSize = available, MaxAvailableExtent = largest, Messages = messages };
        }

        var namespaces = new List<NdctlNamespace>();
        List<NamespaceLabel> byDpa = [.. accepted.OrderBy(l => l.Dpa)];
        // In a running guest the kernel keeps device ids between probes; offline each scan is a probe.
        NamespaceDeviceIds? ids = byDpa.DistinctBy(l => l.Uuid).Count() == byDpa.Count ? dimm.Bindings?.DeviceIds : null;
        if (ids is { IsNumbered: false })
        {
            ids.Number([.. byDpa.Select(l => l.Uuid)]);
        }
        int position = 0;
        // nd_region_advance_seeds: a new seed appears once the region's first namespace (lowest DPA)
        // probes, or fails only with -EOPNOTSUPP (an info block it cannot use).
        bool seedAdvances = true;
        foreach (NamespaceLabel label in byDpa)
        {
            int id = ids?.IdOf(label.Uuid) ?? position;
            string suffix = id == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $".{id}");
            var ns = new NdctlNamespace
            {
                Device = $"namespace{regionId}.{id}",
                Dpa = label.Dpa,
                Capacity = label.RawSize,
                Size = label.RawSize,
                RawUuid = label.Uuid,
                Name = label.Name,
                SectorSize = PmemSectorSizes.Contains((uint)label.LbaSize) ? (uint)label.LbaSize : 512,
                RawSectorSize = PmemSectorSizes.Contains((uint)label.LbaSize) ? (uint)label.LbaSize : 512,
                BlockDevice = $"pmem{regionId}{suffix}",
            };
            if (label.RawSize < MinNamespaceSize)
            {
                // nvdimm_namespace_common_probe: too small to probe (-ENODEV); no driver binds.
                namespaces.Add(ns with { IsActive = false, BlockDevice = null });
                seedAdvances &= position != 0;
            }
            else
            {
                namespaces.Add(Personalize(ns, regionId, id, media, label.Uuid, messages, label.AbstractionGuid));
            }
            position++;
        }
        if (ids?.IdleZeroName is string idleName)
        {
            // A destroyed namespace0.0 stays as an idle device and keeps its alt_name.
            namespaces.Add(IdleNamespace(regionId, 0) with { Name = idleName });
        }
        if (seedAdvances && ids?.HasSeed != false)
        {
            // The seed: an idle zero-size namespace for the next create-namespace.
            namespaces.Add(IdleNamespace(regionId, ids?.Seed ?? position));
        }

        return Bind(region with
        {
            AvailableSize = available,
            MaxAvailableExtent = largest,
            Namespaces = namespaces,
            Messages = messages,
        }, dimm.Bindings);
    }

    /// <summary>A zero-size namespace device with no driver (the seed, or an emptied namespace0.0).</summary>
    private static NdctlNamespace IdleNamespace(int regionId, int id) => new()
    {
        Device = string.Create(CultureInfo.InvariantCulture, $"namespace{regionId}.{id}"),
        RawUuid = Guid.Empty,
        SectorSize = 512,
        IsActive = false,
    };

    /// <summary>
    /// The kernel's driver state over what the labels say: a disabled region has no namespaces (its
    /// sizes and iset_id stay, as Linux lists them), a disabled namespace loses its personality.
    /// </summary>
    private static NdctlRegion Bind(NdctlRegion region, IKernelBindings? bindings)
    {
        if (bindings is null)
        {
            return region;
        }
        if (!bindings.IsRegionEnabled)
        {
            return region with { IsEnabled = false, Namespaces = [] };
        }
        return region with
        {
            Namespaces = [.. region.Namespaces.Select(ns => ns.IsActive && !bindings.IsNamespaceEnabled(ns.BindingKey) ? ns.AsDisabled() : ns)],
        };
    }

    /// <summary>
    /// Attaches the personality whose info block validates, probing as nd_pmem_probe does: BTT, then
    /// PFN, then DAX, limited by a v1.2 label's abstraction GUID.
    /// </summary>
    private static NdctlNamespace Personalize(NdctlNamespace ns, int regionId, int id, IDimmMedia media, Guid parentUuid,
        List<string> messages, Guid claim = default)
    {
        if (ns.Capacity < 2 * (ulong)InfoBlock.Size)
        {
            return ns;
        }
        byte[] block = new byte[InfoBlock.Size];
        bool anyClaim = claim == Guid.Empty;
        if (anyClaim || claim == NamespaceLabel.BttAbstraction || claim == NamespaceLabel.Btt2Abstraction)
        {
            bool btt2 = claim == NamespaceLabel.Btt2Abstraction;
            ulong offset = (ulong)(btt2 ? InfoBlock.Btt2NamespaceOffset : InfoBlock.NamespaceOffset);
            media.Read(ns.Dpa + offset, block);
            if (BttInfoBlock.TryRead(block, out BttInfoBlock? btt, out _) && btt!.ChecksumMatches
                && (btt.ParentUuid == parentUuid || btt.ParentUuid == Guid.Empty)
                && (btt2 ? (btt.VersionMajor, btt.VersionMinor) == (2, 0) : (btt.VersionMajor, btt.VersionMinor) == (1, 1)))
            {
                return ns with
                {
                    Mode = NamespaceMode.Sector,
                    Size = BttSize(media, ns.Dpa + offset, btt),
                    PersonalityUuid = btt.Uuid,
                    SectorSize = btt.ExternalLbaSize,
                    BlockDevice = ns.BlockDevice + "s",
                };
            }
        }
        if (!anyClaim && claim != NamespaceLabel.PfnAbstraction && claim != NamespaceLabel.DaxAbstraction)
        {
            return ns;
        }
        media.Read(ns.Dpa + (ulong)InfoBlock.NamespaceOffset, block);
        if (!PfnInfoBlock.TryRead(block, out PfnInfoBlock? pfn, out _) || !pfn!.ChecksumMatches || pfn.ParentUuid != parentUuid
            || pfn.Mode is not (PfnMapLocation.Ram or PfnMapLocation.Pmem))
        {
            return ns;
        }
        bool wanted = pfn.Kind == PfnInfoBlockKind.Pfn
            ? anyClaim || claim == NamespaceLabel.PfnAbstraction
            : anyClaim || claim == NamespaceLabel.DaxAbstraction;
        if (!wanted)
        {
            messages.Add($"{ns.Device}: info block ignored");
            return ns;
        }
        if (pfn.DataOffset >= ns.Capacity)
        {
            // nd_pfn_validate answers -EOPNOTSUPP, which fails nd_pmem_probe: the namespace stays
            // raw with no driver bound (no block device).
            string device = pfn.Kind == PfnInfoBlockKind.Pfn ? "pfn" : "dax";
            messages.Add($" {device}{regionId}.1: pfn array size exceeds capacity of {ns.Device}");
            messages.Add($"nd_pmem: probe of {ns.Device} failed with error -95");
            return ns with { IsActive = false, BlockDevice = null };
        }
        return pfn.Kind == PfnInfoBlockKind.Pfn
            ? ns with
            {
                Mode = NamespaceMode.Fsdax,
                Size = pfn.UsableSize(ns.Capacity),
                PersonalityUuid = pfn.Uuid,
                Align = pfn.Align,
                Map = pfn.Mode,
            }
            : ns with
            {
                Mode = NamespaceMode.Devdax,
                Size = pfn.UsableSize(ns.Capacity),
                PersonalityUuid = pfn.Uuid,
                Align = pfn.Align,
                Map = pfn.Mode,
                SectorSize = null,
                BlockDevice = null,
                CharDevice = string.Create(CultureInfo.InvariantCulture, $"dax{regionId}.{id}"),
            };
    }

    /// <summary>The btt size attribute: external blocks of every arena, following nextoff.</summary>
    private static ulong BttSize(IDimmMedia media, ulong firstArena, BttInfoBlock first)
    {
        ulong total = (ulong)first.ExternalNLba * first.ExternalLbaSize;
        ulong arena = firstArena;
        BttInfoBlock current = first;
        byte[] block = new byte[InfoBlock.Size];
        // Only forward and inside the media, without wrapping: a hostile nextoff that wraps around
        // 2^64 to an earlier arena would otherwise make this walk cycle forever.
        while (current.NextOff != 0 && media.Size >= (ulong)InfoBlock.Size && arena <= media.Size - (ulong)InfoBlock.Size
            && current.NextOff <= media.Size - (ulong)InfoBlock.Size - arena)
        {
            arena += current.NextOff;
            media.Read(arena, block);
            if (!BttInfoBlock.TryRead(block, out BttInfoBlock? next, out _) || !next!.ChecksumMatches)
            {
                break;
            }
            total += (ulong)next.ExternalNLba * next.ExternalLbaSize;
            current = next;
        }
        return total;
    }

    /// <summary>
    /// Free DPA outside every label extent in the mapping, each gap trimmed to the region alignment
    /// (nd_pmem_available_dpa): the total and the largest piece.
    /// </summary>
    private static (ulong Total, ulong Largest) Available(NdctlRegion region, IReadOnlyList<NamespaceLabel> labels, ulong align)
    {
        ulong start = region.MappingOffset;
        ulong end = region.MappingOffset + region.MappingLength;
        ulong total = 0;
        ulong largest = 0;
        ulong cursor = start;
        foreach (NamespaceLabel? label in labels.Where(l => l.RawSize > 0).OrderBy(l => l.Dpa).Append(null))
        {
            ulong gapEnd = label is null ? end : Math.Min(label.Dpa, end);
            // Labels here are unvalidated: saturate instead of wrapping around 2^64.
            ulong from = cursor >= end ? end : Math.Min(end, SaturatingAdd(cursor, align - 1) / align * align);
            ulong to = gapEnd / align * align;
            if (to > from)
            {
                total += to - from;
                largest = Math.Max(largest, to - from);
            }
            if (label is not null)
            {
                cursor = Math.Max(cursor, SaturatingAdd(label.Dpa, label.RawSize));
            }
        }
        return (total, largest);
    }

    private static ulong SaturatingAdd(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;
}
