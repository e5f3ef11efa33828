using System.Diagnostics;
using System.Globalization;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Differential;

/// <summary>
/// Runs configurations under Debian's qemu-system-x86_64 7.2 (the reference) and vnvdimm, each
/// in its own scratch folder, and requires the same outcome: the same first error line (program
/// name aside) for a refused configuration, the same "info memory-devices" and "info memdev"
/// for an accepted one, and the same files left behind (names, lengths, contents) — except that a
/// file QEMU created for a refused configuration is not left by vnvdimm.
/// VNVDIMM_DIFF_SEED and VNVDIMM_DIFF_COUNT change the generated set; VNVDIMM_DIFF_STDERR=1 also
/// compares every stderr line (warnings included).
/// </summary>
[Collection(DifferentialCollection.Name)]
public sealed class QemuDifferentialTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 7200;
    private const int DefaultCount = 400;
    private const int Parallelism = 3;
    // Created backends are sparse and large: fingerprint their beginning only.
    private const long HashLimit = 4 << 20;

    [Fact]
    public void Generated_configurations_behave_as_in_qemu()
    {
        string qemu = ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
        int seed = EnvironmentInt("VNVDIMM_DIFF_SEED", DefaultSeed);
        int count = EnvironmentInt("VNVDIMM_DIFF_COUNT", DefaultCount);
        var generator = new ConfigurationGenerator(seed);
        List<DifferentialCase> cases = Enumerable.Range(0, count).Select(generator.Next).ToList();
        RunAndCompare(qemu, cases, $"seed {seed}");
    }

    [Fact]
    public void Fixed_configurations_behave_as_in_qemu()
    {
        string qemu = ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
        var cases = FixedConfigurations.Valid
            .Concat(FixedConfigurations.Invalid.Select(c => c.Case))
            .ToList();
        var valid = new HashSet<DifferentialCase>(FixedConfigurations.Valid);
        RunAndCompare(qemu, cases, "fixed list", valid.Contains);
    }

    [Fact]
    public void Expected_errors_of_the_fixed_list_are_what_qemu_prints()
    {
        string qemu = ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(FixedConfigurations.Invalid, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, invalid =>
        {
            using var dir = new ScratchDirectory("vnvdimm-diff-q-");
            dir.CreateFile(FixedConfigurations.KeepFile, FixedConfigurations.KeepLength, seed: 42);
            MachineRun run = MachineRunner.RunQemu(qemu, invalid.Case.Args, dir.Path);
            if (run.ExitCode == 0 || run.FirstErrorLine != "PROG: " + invalid.ExpectedError)
            {
                wrong.Add($"{invalid.Case.Name}: expected '{invalid.ExpectedError}', qemu: exit {run.ExitCode}, '{run.FirstErrorLine}'");
            }
        });
        foreach (string line in wrong)
        {
            output.WriteLine(line);
        }
        Assert.Empty(wrong);
    }

    private void RunAndCompare(string qemu, List<DifferentialCase> cases, string label, Func<DifferentialCase, bool>? mustBeAccepted = null)
    {
        var watch = Stopwatch.StartNew();
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<(int Index, string Report)>();
        int refused = 0;
        Parallel.ForEach(
            cases.Select((c, i) => (Case: c, Index: i)),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            item =>
            {
                (MachineRun reference, MachineRun ours, string? fileDifference) = RunBoth(qemu, item.Case);
                if (reference.ExitCode != 0)
                {
                    Interlocked.Increment(ref refused);
                }
                if (mustBeAccepted?.Invoke(item.Case) == true && reference.ExitCode != 0)
                {
                    mismatches.Add((item.Index, $"{item.Case}\n  listed as valid, but qemu refused it: {reference.FirstErrorLine}"));
                }
                bool stderrDiffers = CompareStderr && ComparableStderr(reference) != ComparableStderr(ours);
                if (reference.Outcome != ours.Outcome || (reference.ExitCode == 0) != (ours.ExitCode == 0) || fileDifference is not null || stderrDiffers)
                {
                    mismatches.Add((item.Index, $"{item.Case}\n  qemu:    {Indent(reference.Outcome)}\n  vnvdimm: {Indent(ours.Outcome)}"
                        + (fileDifference is null ? string.Empty : $"\n  files:   {fileDifference}")
                        + (stderrDiffers ? $"\n  qemu stderr:    {Indent(reference.Stderr)}\n  vnvdimm stderr: {Indent(ours.Stderr)}" : string.Empty)));
                }
            });
        output.WriteLine($"{label}: {cases.Count} configurations ({refused} refused by qemu, {cases.Count - refused} accepted) in {watch.Elapsed.TotalSeconds:F1} s; {mismatches.Count} differ.");
        foreach ((_, string report) in mismatches.OrderBy(m => m.Index).Take(25))
        {
            output.WriteLine(report);
        }
        Assert.True(mismatches.IsEmpty, $"{mismatches.Count} of {cases.Count} configurations differ from qemu-system-x86_64 ({label}); first: {mismatches.OrderBy(m => m.Index).FirstOrDefault().Report}");
    }

    /// <summary>Runs one case under both programs, each in a fresh folder holding the case's files.</summary>
    internal static (MachineRun Qemu, MachineRun Vnvdimm, string? FileDifference) RunBoth(string qemu, DifferentialCase testCase)
    {
        using var qemuDir = new ScratchDirectory("vnvdimm-diff-q-");
        using var ourDir = new ScratchDirectory("vnvdimm-diff-v-");
        int seed = 1;
        foreach ((string name, long length) in testCase.Files)
        {
            qemuDir.CreateFile(name, length, seed);
            ourDir.CreateFile(name, length, seed);
            seed++;
        }
        MachineRun reference = MachineRunner.RunQemu(qemu, testCase.Args, qemuDir.Path);
        MachineRun ours = MachineRunner.RunVnvdimm(testCase.Args, ourDir.Path);
        var qemuFiles = qemuDir.Snapshot(HashLimit);
        var ourFiles = ourDir.Snapshot(HashLimit);
        if (reference.ExitCode != 0)
        {
            // One deliberate difference: QEMU leaves the backend file it created for the object
            // that failed (a failed prealloc or policy check); vnvdimm removes it. Files the case
            // brought along, and everything vnvdimm did leave, must still match QEMU's.
            var given = testCase.Files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            qemuFiles = new SortedDictionary<string, (long Length, string Sha256)>(
                qemuFiles.Where(f => given.Contains(f.Key) || ourFiles.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => f.Value),
                StringComparer.Ordinal);
        }
        string? difference = null;
        if (!qemuFiles.SequenceEqual(ourFiles))
        {
            difference = $"qemu left [{Describe(qemuFiles)}], vnvdimm left [{Describe(ourFiles)}]";
        }
        return (reference, ours, difference);
    }

    private static string Describe(SortedDictionary<string, (long Length, string Sha256)> files) =>
        string.Join(", ", files.Select(f => $"{f.Key} {f.Value.Length} {f.Value.Sha256[..8]}"));

    private static string Indent(string text) => text.Replace("\n", "\n           ", StringComparison.Ordinal);

    // vnvdimm does not model which CPUID features TCG lacks per CPU model.
    private static string ComparableStderr(MachineRun run) => string.Join('\n', run.Stderr.TrimEnd().Split('\n')
        .Where(line => !line.Contains("TCG doesn't support requested feature", StringComparison.Ordinal)));

    private static bool CompareStderr => Environment.GetEnvironmentVariable("VNVDIMM_DIFF_STDERR") == "1";

    private static int EnvironmentInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
