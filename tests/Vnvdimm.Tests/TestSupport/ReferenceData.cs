namespace Vnvdimm.Tests.TestSupport;

/// <summary>
/// The QEMU 7.2 / Linux 6.1 reference captures the tests compare against. They live in the
/// repository (tests/Fixtures/qemu-7.2, see its README) so a clone stands alone; the folder is
/// found from the test binaries by walking up to the repository root (the folder holding vnvdimm.slnx).
/// </summary>
public static class ReferenceData
{
    /// <summary>The captured cases, in the order the fixtures README lists them.</summary>
    public static readonly string[] Cases = ["s1", "s2", "s3", "s4", "lab", "hotplug", "qom5"];

    private static readonly Lazy<string> RootFolder = new(FindRoot);

    /// <summary>tests/Fixtures/qemu-7.2 of this repository.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>The repository's root folder (the one holding vnvdimm.slnx).</summary>
    public static string Repository => Path.GetFullPath(Path.Combine(Root, "..", "..", ".."));

    /// <summary>A folder under tests/Fixtures other than the QEMU captures, e.g. ("linux-6.1", "label-validation").</summary>
    public static string Fixture(params string[] parts) => Path.Combine([Path.GetDirectoryName(Root)!, .. parts]);

    /// <summary>A case folder such as "s1".</summary>
    public static string Case(string name) => Path.Combine(Root, name);

    /// <summary>The bytes of one captured file, e.g. <c>Read("s1", "SSDT")</c>.</summary>
    public static byte[] Read(string caseName, string file) => File.ReadAllBytes(Path.Combine(Case(caseName), file));

    /// <summary>Every case name, as theory data.</summary>
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
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "vnvdimm.slnx")))
            {
                string fixtures = Path.Combine(dir.FullName, "tests", "Fixtures", "qemu-7.2");
                return Directory.Exists(fixtures)
                    ? fixtures
                    : throw new DirectoryNotFoundException($"{fixtures} is missing from the repository");
            }
        }
        throw new DirectoryNotFoundException($"no repository root (vnvdimm.slnx) above {AppContext.BaseDirectory}");
    }
}
