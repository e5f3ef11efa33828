using Vnvdimm.Guest.Nd;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Guest.Console;

/// <summary>
/// The guest kernel's driver state for one DIMM and the single-DIMM region over it, as ndctl's
/// enable/disable commands change it through sysfs (driver bind and unbind on the nd bus).
/// </summary>
internal sealed class GuestKernelBindings(Nvdimm dimm, NdRegion? region) : IKernelBindings
{
    public bool IsDimmEnabled => dimm.IsEnabled;

    public bool IsRegionEnabled => region?.IsEnabled ?? false;

    public bool IsNamespaceEnabled(string key) => region?.IsNamespaceEnabled(key) ?? false;

    public NamespaceDeviceIds? DeviceIds => region?.DeviceIds;

    public bool IsLabeling => dimm.IsLabeling;

    public void SetDimmEnabled(bool enabled)
    {
        if (enabled)
        {
            dimm.Bus.EnableDimm(dimm);
        }
        else
        {
            dimm.Bus.DisableDimm(dimm);
        }
    }

    public bool SetRegionEnabled(bool enabled)
    {
        if (region is null)
        {
            return false;
        }
        if (enabled)
        {
            return region.Bus.EnableRegion(region);
        }
        region.Bus.DisableRegion(region);
        return true;
    }

    public void SetNamespaceEnabled(string key, bool enabled)
    {
        if (region is null || !region.IsEnabled)
        {
            return;
        }
        if (enabled)
        {
            region.DisabledNamespaces.Remove(key);
        }
        else
        {
            region.DisabledNamespaces.Add(key);
        }
    }
}
