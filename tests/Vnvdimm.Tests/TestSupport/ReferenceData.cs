namespace Vnvdimm.Tests.TestSupport;

/// <summary>
/// Finds the shared reference captures (shared/reference/qemu-7.2): the repository sits beside
/// a shared/ folder (/work/main and /work/shared here, a copy of shared/ beside the clone in CI),
/// so the lookup walks up from the test binaries until an ancestor holds shared/reference/qemu-7.2.
/// </summary>
public static class ReferenceData
{
    private static readonly Lazy<string?> Root = new(() => FindUp(Path.Combine("shared", "reference", "qemu-7.2")));

    /// <summary>The qemu-7.2 reference folder, or null when there is none.</summary>
    public static string? Qemu72Root => Root.Value;

    /// <summary>The qemu-7.2 reference folder; fails the test when it cannot be found.</summary>
    public static string RequireQemu72Root() =>
        Qemu72Root ?? throw new InvalidOperationException(
            $"shared/reference/qemu-7.2 was not found in any folder above {AppContext.BaseDirectory}.");

    /// <summary>A case folder such as "s1".</summary>
    public static string Case(string name) => Path.Combine(RequireQemu72Root(), name);

    /// <summary>The first ancestor of the test binaries (or the folder itself) holding <paramref name="relative"/>.</summary>
    public static string? FindUp(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
