using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Guest.Nd;
using Vnvdimm.Guest.Nfit;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Guest.Console;

/// <summary>
/// The guest's DIMMs as Vnvdimm.Ndctl sees them: labels through the firmware interface, media at the
/// region's SPA base, identity and flags from the NFIT, the region's id and persistence domain.
/// </summary>
internal static class GuestNdctlDimms
{
    public static NdctlDimm For(LinuxGuest guest, Nvdimm dimm)
    {
        NdRegion? region = dimm.Bus.Regions.FirstOrDefault(r => r.Type == NdRegionType.Pmem && r.Mappings.Count == 1 && r.Mappings[0].Dimm == dimm);
        return new NdctlDimm(dimm.Name, new GuestLabelStore(dimm), IsActive: region?.IsEnabled ?? false)
        {
            Bindings = new GuestKernelBindings(dimm, region),
            Media = region is null ? null : new GuestRegionMedia(guest.Memory, region),
            Identity = Identity(dimm, region),
            RegionId = region?.Id,
            PersistenceDomain = region?.PersistenceDomain switch
            {
                NdPersistenceDomain.CpuCache => "cpu_cache",
                NdPersistenceDomain.MemoryController => "memory_controller",
                _ => "unknown",
            },
        };
    }

    public static IReadOnlyList<NdctlDimm> All(LinuxGuest guest) =>
        [.. guest.NvdimmBuses.SelectMany(bus => KernfsOrder.Sort(bus.Dimms, d => d.Name)).Select(d => For(guest, d))];

    private static NdctlDimmIdentity Identity(Nvdimm dimm, NdRegion? region)
    {
        NfitDimm? nfit = dimm.Commands as NfitDimm;
        NfitControlRegion? found = nfit?.Dcr?.Region;
        NfitControlRegion dcr = found.GetValueOrDefault();
        bool manufacturing = found is not null && (dcr.ValidFields & 1) != 0;
        NfitMemoryDeviceStateFlags flags = dimm.Flags;
        var names = new List<string>();
        AddFlag(names, "flag_failed_map", flags, NfitMemoryDeviceStateFlags.NotMappedToSpa);
        AddFlag(names, "flag_failed_save", flags, NfitMemoryDeviceStateFlags.SaveFailed);
        AddFlag(names, "flag_failed_arm", flags, NfitMemoryDeviceStateFlags.NotArmed);
        AddFlag(names, "flag_failed_restore", flags, NfitMemoryDeviceStateFlags.RestoreFailed);
        AddFlag(names, "flag_failed_flush", flags, NfitMemoryDeviceStateFlags.FlushFailed);
        AddFlag(names, "flag_smart_event", flags, NfitMemoryDeviceStateFlags.SmartEventsObserved);
        return new NdctlDimmIdentity(dimm.Handle, dimm.PhysicalId, dcr.VendorId, dcr.SerialNumber,
            region?.Mappings[0].Start ?? 0, manufacturing ? dcr.ManufacturingDate : (ushort)0, manufacturing ? dcr.ManufacturingLocation : (byte)0)
        {
            Id = dimm.UniqueId,
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
}
