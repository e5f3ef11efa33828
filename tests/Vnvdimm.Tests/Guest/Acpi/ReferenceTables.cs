namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>QEMU 7.2's captured tables in shared/reference/qemu-7.2, found by walking up from the test binaries.</summary>
internal static class ReferenceTables
{
    public static readonly string[] Cases = ["s1", "s2", "s3", "s4", "lab", "hotplug"];

    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Directory => Root.Value;

    public static byte[] Ssdt(string name) => File.ReadAllBytes(Path.Combine(Directory, name, "SSDT"));

    public static TheoryData<string> CaseData()
    {
        var data = new TheoryData<string>();
        foreach (string name in Cases)
        {
            data.Add(name);
        }
        return data;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "reference", "qemu-7.2");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"shared/reference/qemu-7.2 not found above {AppContext.BaseDirectory}");
    }
}
