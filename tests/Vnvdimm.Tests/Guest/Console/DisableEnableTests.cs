using Vnvdimm.Tests.TestSupport;
using Xunit;

namespace Vnvdimm.Tests.Guest.Console;

/// <summary>
/// Label writes on active regions, and disable/enable of namespaces, regions and DIMMs, on the guest
/// console against Linux 6.1 + ndctl 76 (fixture "disable": cmds.sh on a fresh 256M NVDIMM, and
/// fsdax-cmds.sh with an fsdax namespace). Every step's stdout (JSON compared canonically), stderr and
/// exit status must be Linux's, except the steps listed in <see cref="KnownDifferences"/>.
/// </summary>
public sealed class DisableEnableTests(ITestOutputHelper output)
{
    /// <summary>
    /// Steps that differ from Linux on purpose, with the reason. Everything else is compared.
    /// </summary>
    private static readonly Dictionary<(string Script, int Step), string> KnownDifferences = new()
    {
        [("cmds.sh", 53)] = "/nonexistent is outside the guest folder: refused by design (GuestFolderTests)",
        [("cmds.sh", 54)] = "as step 53",
        [("cmds.sh", 55)] = "as step 53 (/proc/version)",
    };

    [Theory]
    [InlineData("cmds.sh", "cmds-output.txt", "00000000-0000-0000-0000-000000000001")]
    [InlineData("fsdax-cmds.sh", "fsdax-cmds-output.txt", "24a5f191-c866-4460-b6d4-6b894d415a43")]
    public void Every_step_prints_what_linux_printed(string script, string capture, string pfnUuid)
    {
        using var scratch = new ScratchDirectory("vnvdimm-disable-");
        string expected = File.ReadAllText(Path.Combine(ReferenceData.Case("disable"), capture));

        List<LinuxReplay.Outcome> outcomes = LinuxReplay.Run("disable", script, expected, scratch.Path, new Guid(pfnUuid));

        Assert.Equal(LinuxReplay.Steps(expected).Count, outcomes.Count);
        var failures = new List<string>();
        foreach (LinuxReplay.Outcome outcome in outcomes)
        {
            LinuxReplay.Step step = outcome.Expected;
            if (KnownDifferences.ContainsKey((script, step.Number)))
            {
                continue;
            }
            bool same = outcome.Exit == step.Exit && outcome.Stderr == step.Stderr && SameStdout(step.Stdout, outcome.Stdout);
            if (!same)
            {
                failures.Add($"step {step.Number} `{step.Command}`\n-- linux (rc {step.Exit}):\n{step.Stdout}{step.Stderr}-- vnvdimm (rc {outcome.Exit}):\n{outcome.Stdout}{outcome.Stderr}");
            }
        }
        foreach (string failure in failures)
        {
            output.WriteLine(failure);
        }
        Assert.Empty(failures);
    }

    private static bool SameStdout(string linux, string vnvdimm) =>
        linux.StartsWith('[') || linux.StartsWith('{')
            ? vnvdimm.Length > 0 && NdctlJsonCanonical.Canonical(linux) == NdctlJsonCanonical.Canonical(vnvdimm)
            : linux == vnvdimm;
}
