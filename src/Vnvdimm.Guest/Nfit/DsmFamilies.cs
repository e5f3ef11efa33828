namespace Vnvdimm.Guest.Nfit;

/// <summary>The _DSM UUIDs, allow-lists and revisions Linux 6.1's NFIT driver uses (research/linux-ndctl-labels.md §1.9).</summary>
public static class DsmFamilies
{
    /// <summary>The NVDIMM root device (bus) _DSM.</summary>
    public static readonly Guid Bus = new("2f10e7a4-9e91-11e4-89d3-123b93f75cba");

    /// <summary>The Intel bus family (firmware activation), probed on the root device.</summary>
    public static readonly Guid IntelBus = new("c7d8acd4-2df8-4b82-9f65-a325335af149");

    /// <summary>Families in probe order, which is also their number.</summary>
    public static readonly IReadOnlyList<(DsmFamily Family, Guid Uuid)> DimmFamilies =
    [
        (DsmFamily.Intel, new Guid("4309ac30-0d11-11e4-9191-0800200c9a66")),
        (DsmFamily.Hpe1, new Guid("9002c334-acf3-4c0e-9642-a235f0d53bc6")),
        (DsmFamily.Hpe2, new Guid("5008664b-b758-41a0-a03c-27c2f2d04f7e")),
        (DsmFamily.Msft, new Guid("1ee68b36-d4bd-4a1a-9a16-4f8e53d46e05")),
        (DsmFamily.HyperV, new Guid("5746c5f2-a9a2-4264-ad0e-e4ddc9e09e80")),
    ];

    /// <summary>Bus functions probed: ARS cap/start/status, clear error, translate SPA, ARS inject set/clear/get.</summary>
    public const ulong BusFunctions = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 7) | (1 << 8) | (1 << 9);

    /// <summary>Intel bus family: firmware-activate bus info, arm, activate.</summary>
    public const ulong IntelBusFunctions = (1 << 1) | (1 << 2) | (1 << 3);

    /// <summary>Standard DIMM commands 1–9 (smart … vendor), which libnvdimm maps 1:1 for the Intel family.</summary>
    public const ulong StandardCommands = 0x3FE;

    public static Guid UuidOf(DsmFamily family) => DimmFamilies[(int)family].Uuid;

    /// <summary>The functions Linux is willing to use for <paramref name="family"/> (function 0 excluded).</summary>
    public static ulong AllowList(DsmFamily family) => family switch
    {
        // Standard 1–9 plus latch shutdown, modes, firmware update, thresholds, error injection,
        // security and firmware activation: 1–30.
        DsmFamily.Intel => 0x7FFF_FFFE,
        DsmFamily.Hpe1 => 0x1C3C76,
        DsmFamily.Hpe2 => 0x1FE,
        DsmFamily.Msft => 0xFFFF_FFFE,
        DsmFamily.HyperV => 0x1E,
        _ => 0,
    };

    /// <summary>nfit_dsm_revid: Intel functions 11 (get modes) to 30 (firmware-activate arm) are revision 2, everything else 1.</summary>
    public static ulong Revision(DsmFamily family, int function) =>
        family == DsmFamily.Intel && function is >= 11 and <= 30 ? 2UL : 1UL;
}
