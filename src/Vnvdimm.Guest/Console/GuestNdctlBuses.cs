using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Guest.Console;

/// <summary>
/// The guest's nvdimm buses as Vnvdimm.Ndctl's <c>ndctl list</c> walks them, in libndctl's (kernfs)
/// order. Each pmem region over one enabled DIMM is scanned from that DIMM's labels (read through the
/// firmware interface) and info blocks (read from guest memory) as the offline tool scans an image;
/// any other region keeps the guest's own label-less namespaces.
/// </summary>
internal static class GuestNdctlBuses
{
    public static IReadOnlyList<NdctlListBus> All(LinuxGuest guest) => [.. guest.NvdimmBuses.Select(bus => For(guest, bus))];

    private static NdctlListBus For(LinuxGuest guest, NvdimmBus bus)
    {
        Dictionary<Nvdimm, NdctlListDimm> dimms = bus.Dimms.ToDictionary(d => d, Dimm);
        return new NdctlListBus(bus.Id, bus.Provider, bus.Name)
        {
            Dimms = [.. KernfsOrder.Sort(dimms.Keys, d => d.Name).Select(d => dimms[d])],
            Regions = [.. KernfsOrder.Sort(bus.Regions, r => r.Name).Select(r => Region(guest, r, dimms))],
        };
    }

    private static NdctlListDimm Dimm(Nvdimm dimm)
    {
        NfitMemoryDeviceStateFlags flags = dimm.Flags;
        var names = new List<string>();
        AddFlag(names, "flag_failed_map", flags, NfitMemoryDeviceStateFlags.NotMappedToSpa);
        AddFlag(names, "flag_failed_save", flags, NfitMemoryDeviceStateFlags.SaveFailed);
        AddFlag(names, "flag_failed_arm", flags, NfitMemoryDeviceStateFlags.NotArmed);
        AddFlag(names, "flag_failed_restore", flags, NfitMemoryDeviceStateFlags.RestoreFailed);
        AddFlag(names, "flag_failed_flush", flags, NfitMemoryDeviceStateFlags.FlushFailed);
        AddFlag(names, "flag_smart_event", flags, NfitMemoryDeviceStateFlags.SmartEventsObserved);
        return new NdctlListDimm(dimm.Id, dimm.Name, dimm.Handle, dimm.PhysicalId)
        {
            UniqueId = dimm.UniqueId,
            IsEnabled = dimm.IsEnabled,
            Flags = names,
        };
    }

    private static void AddFlag(List<string> names, string name, NfitMemoryDeviceStateFlags flags, NfitMemoryDeviceStateFlags flag)
    {
        if ((flags & flag) != 0)
        {
            names.Add(name);
        }
    }

    private static NdctlListRegion Region(LinuxGuest guest, NdRegion region, Dictionary<Nvdimm, NdctlListDimm> dimms)
    {
        NdctlRegion? scanned = region.Type == NdRegionType.Pmem && region.Mappings.Count == 1 && region.Mappings[0].Dimm.IsEnabled
            ? RegionScanner.Scan(region.Id, GuestNdctlDimms.For(guest, region.Mappings[0].Dimm))
            : null;
        IReadOnlyList<NdctlNamespace> namespaces = scanned switch
        {
            { IsEnabled: true } => scanned.Namespaces,
            { } => [],
            null when !region.IsEnabled => [],
            null => [.. region.Namespaces.Select(ns => new NdctlNamespace
            {
                Device = ns.Name,
                Capacity = ns.Size,
                Size = ns.Size,
                Name = ns.AltName ?? "",
                SectorSize = ns.SectorSize is null or 0 ? 512 : ns.SectorSize.Value,
                BlockDevice = ns.BlockDevice,
                IsActive = ns.IsActive,
            })],
        };
        return new NdctlListRegion(region.Id, region.Name)
        {
            Size = region.Size,
            Align = region.Alignment,
            // Label-less regions have no allocatable capacity: their one namespace spans them.
            AvailableSize = scanned?.AvailableSize ?? 0,
            MaxAvailableExtent = scanned?.MaxAvailableExtent ?? 0,
            InterleaveSetCookie = scanned?.InterleaveSetCookie,
            // A region whose labels fail nd_region's probe (missing label, invalid extent) is disabled.
            IsEnabled = region.IsEnabled && scanned?.IsEnabled != false,
            PersistenceDomain = region.PersistenceDomain switch
            {
                NdPersistenceDomain.CpuCache => "cpu_cache",
                NdPersistenceDomain.MemoryController => "memory_controller",
                _ => "unknown",
            },
            NumaNode = region.NumaNode,
            TargetNode = region.TargetNode,
            Mappings = [.. region.Mappings.Select(m => new NdctlListMapping(dimms.GetValueOrDefault(m.Dimm) ?? Dimm(m.Dimm), m.Start, m.Size, m.Position >= 0 ? m.Position : null))],
            Namespaces = KernfsOrder.Sort(namespaces, n => n.Device),
        };
    }
}
