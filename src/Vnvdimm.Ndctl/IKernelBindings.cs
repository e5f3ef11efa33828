namespace Vnvdimm.Ndctl;

/// <summary>
/// What a kernel keeps between ndctl commands for one DIMM and the region over it: whether the nvdimm
/// driver is bound to the DIMM, the region driver to the region, and which namespaces are disabled
/// (by <see cref="NdctlNamespace.BindingKey"/>). The guest keeps it in its Nd layer; offline there is
/// no kernel, so an image's DIMM has none and every command starts from a fresh boot.
/// </summary>
public interface IKernelBindings
{
    bool IsDimmEnabled { get; }

    bool IsRegionEnabled { get; }

    bool IsNamespaceEnabled(string key);

    void SetDimmEnabled(bool enabled);

    /// <summary>Binds or unbinds the region driver; false when the probe fails (a DIMM of it is disabled).</summary>
    bool SetRegionEnabled(bool enabled);

    void SetNamespaceEnabled(string key, bool enabled);

    /// <summary>NDD_LABELING: the DIMM once probed with a valid label index (the flag is never cleared).</summary>
    bool IsLabeling => false;

    /// <summary>The device ids of the labelled region's namespaces since its probe; null offline, where every command is a fresh probe.</summary>
    NamespaceDeviceIds? DeviceIds => null;
}
