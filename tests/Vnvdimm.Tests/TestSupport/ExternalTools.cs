namespace Vnvdimm.Tests.TestSupport;

/// <summary>
/// External programs the tests compare against (qemu-system-x86_64, iasl, xz, the Linux guest's
/// pieces). A missing program fails the test; only VNVDIMM_SKIP_EXTERNAL=1, set by hand when
/// working locally, turns that into a skip the summary counts as skipped. CI never sets it.
/// </summary>
public static class ExternalTools
{
    public const string SkipVariable = "VNVDIMM_SKIP_EXTERNAL";

    public static bool SkipRequested => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? Find(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// The path of <paramref name="program"/>. When it is missing the test is skipped if
    /// skipping was requested, and fails otherwise.
    /// </summary>
    public static string Require(string program, string debianPackage)
    {
        return Find(program) ?? Missing($"{program} is not installed (Debian package {debianPackage})");
    }

    /// <summary>Skips the running test (under <see cref="SkipVariable"/>=1) or fails it, saying what is missing.</summary>
    public static string Missing(string what)
    {
        if (SkipRequested)
        {
            Assert.Skip($"{what}; {SkipVariable}=1 skips tests that need it");
        }
        throw new InvalidOperationException($"{what}; ./scripts/test.sh installs it (or set {SkipVariable}=1 to skip, locally).");
    }
}
