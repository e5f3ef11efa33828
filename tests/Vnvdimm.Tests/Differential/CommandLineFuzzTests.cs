using System.Collections.Concurrent;
using System.Diagnostics;
using Vnvdimm.Tests.TestSupport;
using Xunit.Abstractions;

namespace Vnvdimm.Tests.Differential;

/// <summary>
/// 300 generated bad command lines (<see cref="BadCommandLineGenerator"/>, fixed seed) under
/// qemu-system-x86_64 7.2 and vnvdimm: where QEMU refuses, vnvdimm refuses with a non-zero status
/// and the same first error line (program name aside); vnvdimm never lets an exception out (no
/// "Unhandled exception", no "   at " line); the file that existed before is unchanged when QEMU
/// left it unchanged; and both leave the same files behind.
/// </summary>
[Collection(DifferentialCollection.Name)]
public sealed class CommandLineFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 1010;
    private const int Count = 300;
    private const int Parallelism = 2;
    private const long HashLimit = 4 << 20;

    // Where the time goes, for the log.
    private static long s_qemuTicks;
    private static long s_vnvdimmTicks;

    [Fact]
    public void Bad_command_lines_are_refused_as_qemu_refuses_them()
    {
        string? qemu = ExternalTools.Require("qemu-system-x86_64", output.WriteLine);
        if (qemu is null)
        {
            return;
        }
        var generator = new BadCommandLineGenerator(Seed);
        List<DifferentialCase> cases = Enumerable.Range(0, Count).Select(generator.Next).ToList();
        var failures = new ConcurrentBag<(int Index, string Report)>();
        var acceptedByQemu = new ConcurrentBag<string>();
        var watch = Stopwatch.StartNew();

        Parallel.ForEach(cases.Select((c, i) => (Case: c, Index: i)), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, item =>
        {
            string? failure = RunCase(qemu, item.Case, acceptedByQemu);
            if (failure is not null)
            {
                failures.Add((item.Index, $"{item.Case}\n  {failure}"));
            }
        });

        output.WriteLine($"{Count} bad command lines (seed {Seed}) in {watch.Elapsed.TotalSeconds:F1} s; qemu accepted {acceptedByQemu.Count}; {failures.Count} differ; "
            + $"qemu {Stopwatch.GetElapsedTime(0, s_qemuTicks).TotalSeconds:F1} s, vnvdimm {Stopwatch.GetElapsedTime(0, s_vnvdimmTicks).TotalSeconds:F1} s (summed over threads).");
        foreach ((_, string report) in failures.OrderBy(f => f.Index).Take(40))
        {
            output.WriteLine(report);
        }
        Assert.True(failures.IsEmpty, $"{failures.Count} of {Count} bad command lines differ from qemu-system-x86_64; first: {failures.OrderBy(f => f.Index).FirstOrDefault().Report}");
        // The generator is meant to produce refused command lines: nearly all of them are.
        Assert.True(acceptedByQemu.Count <= Count / 10, $"qemu accepted {acceptedByQemu.Count} of the generated lines: {string.Join("; ", acceptedByQemu.Take(5))}");
    }

    private static string? RunCase(string qemu, DifferentialCase testCase, ConcurrentBag<string> acceptedByQemu)
    {
        using var qemuDir = new ScratchDirectory("vnvdimm-fuzz-q-");
        using var ourDir = new ScratchDirectory("vnvdimm-fuzz-v-");
        int seed = 1;
        foreach ((string name, long length) in testCase.Files)
        {
            qemuDir.CreateFile(name, length, seed);
            ourDir.CreateFile(name, length, seed);
            seed++;
        }
        SortedDictionary<string, (long, string)> before = ourDir.Snapshot(HashLimit);
        long start = Stopwatch.GetTimestamp();
        MachineRun reference = MachineRunner.RunQemu(qemu, testCase.Args, qemuDir.Path);
        Interlocked.Add(ref s_qemuTicks, Stopwatch.GetTimestamp() - start);
        start = Stopwatch.GetTimestamp();
        MachineRun ours;
        try
        {
            ours = MachineRunner.RunVnvdimm(testCase.Args, ourDir.Path);
            Interlocked.Add(ref s_vnvdimmTicks, Stopwatch.GetTimestamp() - start);
        }
        catch (Exception e)
        {
            return $"vnvdimm let an exception out: {e.GetType().Name}: {e.Message}";
        }
        if (ours.Stderr.Contains("Unhandled exception", StringComparison.Ordinal)
            || ours.Stderr.Split('\n').Concat(ours.Stdout.Split('\n')).Any(line => line.StartsWith("   at ", StringComparison.Ordinal)))
        {
            return $"stack trace in vnvdimm's output:\n{ours.Stderr}";
        }
        if (reference.ExitCode == 0)
        {
            acceptedByQemu.Add(testCase.Name);
            return ours.ExitCode == 0 ? null : $"qemu accepted it, vnvdimm refused: {ours.FirstErrorLine}";
        }
        if (ours.ExitCode == 0)
        {
            return $"qemu refused it ({reference.FirstErrorLine}), vnvdimm accepted it";
        }
        if (reference.FirstErrorLine != ours.FirstErrorLine)
        {
            return $"qemu:    {reference.FirstErrorLine}\n  vnvdimm: {ours.FirstErrorLine ?? "(no error line) " + ours.Stderr}";
        }
        // Pre-existing files: unchanged by vnvdimm wherever QEMU left them unchanged.
        SortedDictionary<string, (long, string)> qemuAfter = qemuDir.Snapshot(HashLimit);
        SortedDictionary<string, (long, string)> ourAfter = ourDir.Snapshot(HashLimit);
        foreach ((string name, (long, string) fingerprint) in before)
        {
            bool qemuKept = qemuAfter.TryGetValue(name, out var q) && q == fingerprint;
            bool weKept = ourAfter.TryGetValue(name, out var v) && v == fingerprint;
            if (qemuKept && !weKept)
            {
                return $"vnvdimm changed {name}";
            }
        }
        if (!qemuAfter.Keys.SequenceEqual(ourAfter.Keys))
        {
            return $"files left: qemu [{string.Join(", ", qemuAfter.Keys)}], vnvdimm [{string.Join(", ", ourAfter.Keys)}]";
        }
        return null;
    }
}
