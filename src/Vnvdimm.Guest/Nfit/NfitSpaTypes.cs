namespace Vnvdimm.Guest.Nfit;

/// <summary>The SPA range type GUIDs Linux knows (research/linux-ndctl-labels.md §1.6).</summary>
public static class NfitSpaTypes
{
    private static readonly (Guid Guid, NfitSpaType Type)[] Known =
    [
        (new Guid("7305944f-fdda-44e3-b16c-3f22d252e5d0"), NfitSpaType.Volatile),
        (new Guid("66f0d379-b4f3-4074-ac43-0d3318b78cdb"), NfitSpaType.PersistentMemory),
        (new Guid("92f701f6-13b4-405d-910b-299367e8234c"), NfitSpaType.ControlRegion),
        (new Guid("91af0530-5d86-470e-a6b0-0a2db9408249"), NfitSpaType.BlockDataWindow),
        (new Guid("77ab535a-45fc-624b-5560-f7b281d1f96e"), NfitSpaType.VolatileVirtualDisk),
        (new Guid("3d5abd30-4175-87ce-6d64-d2ade523c4bb"), NfitSpaType.VolatileVirtualCd),
        (new Guid("5cea02c9-4d07-69d3-269f-4496fbe096f9"), NfitSpaType.PersistentVirtualDisk),
        (new Guid("08018188-42cd-bb48-100f-5387d53ded3d"), NfitSpaType.PersistentVirtualCd),
    ];

    public static NfitSpaType Classify(Guid rangeType)
    {
        foreach ((Guid guid, NfitSpaType type) in Known)
        {
            if (guid == rangeType)
            {
                return type;
            }
        }
        return NfitSpaType.Unknown;
    }

    public static bool IsVirtual(NfitSpaType type) => type is NfitSpaType.VolatileVirtualDisk or NfitSpaType.VolatileVirtualCd
        or NfitSpaType.PersistentVirtualDisk or NfitSpaType.PersistentVirtualCd;

    public static bool IsVolatile(NfitSpaType type) => type is NfitSpaType.Volatile or NfitSpaType.VolatileVirtualDisk or NfitSpaType.VolatileVirtualCd;
}
