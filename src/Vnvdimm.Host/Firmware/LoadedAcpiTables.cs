using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Firmware;

/// <summary>What the built-in firmware placed: the tables blob, the DSM page (if any) and each table in the blob.</summary>
public sealed record LoadedAcpiTables(GuestAddress TablesAddress, GuestAddress? DsmPage, IReadOnlyList<LoadedAcpiTable> Tables)
{
    /// <summary>The first table with <paramref name="signature"/>, or null.</summary>
    public LoadedAcpiTable? Find(string signature) => Tables.FirstOrDefault(t => t.Signature == signature);
}
