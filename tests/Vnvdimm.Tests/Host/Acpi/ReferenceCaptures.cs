namespace Vnvdimm.Tests.Host.Acpi;

/// <summary>
/// The QEMU 7.2 captures in shared/reference/qemu-7.2, found by searching upward from the test
/// binaries for a directory holding shared/reference (the repository's parent locally, a copy of
/// shared/ beside the clone in CI).
/// </summary>
internal static class ReferenceCaptures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string CaseDirectory(string name) => Path.Combine(Root.Value, "qemu-7.2", name);

    public static byte[] Read(string caseName, string file) => File.ReadAllBytes(Path.Combine(CaseDirectory(caseName), file));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "reference");
            if (Directory.Exists(Path.Combine(candidate, "qemu-7.2")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"no shared/reference/qemu-7.2 above {AppContext.BaseDirectory}; the reference captures must sit beside the repository");
    }
}
