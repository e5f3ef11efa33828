namespace Vnvdimm.Tests.TestSupport;

/// <summary>
/// External programs the tests compare against. A missing program fails the test unless
/// VNVDIMM_SKIP_EXTERNAL=1 says external tools are deliberately absent.
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
    /// The path of <paramref name="program"/>; null (the caller returns early) when it is missing
    /// and skipping was requested; otherwise a missing program fails the test.
    /// </summary>
    public static string? Require(string program, Action<string> log)
    {
        string? path = Find(program);
        if (path is not null)
        {
            return path;
        }
        if (SkipRequested)
        {
            log($"{program} is not installed and {SkipVariable}=1: the comparison with it is skipped.");
            return null;
        }
        throw new InvalidOperationException(
            $"{program} is not installed (Debian: apt-get install qemu-system-x86). Set {SkipVariable}=1 to skip tests that need it.");
    }
}
