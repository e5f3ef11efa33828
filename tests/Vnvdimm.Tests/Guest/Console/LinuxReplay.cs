using System.Text.RegularExpressions;
using Vnvdimm.Cli;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Console;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Guest.Console;

/// <summary>
/// Replays a guest script captured on Linux 6.1 + ndctl 76 (tests/Fixtures/qemu-7.2/CASE: the script
/// and what each of its <c>run</c> steps printed) on vnvdimm's guest console, step by step. Files the
/// script kept in /tmp live in the guest folder (a scratch folder) under the same names.
/// </summary>
internal static partial class LinuxReplay
{
    public sealed record Step(int Number, string Command, string Stdout, string Stderr, int Exit);

    public sealed record Outcome(Step Expected, string Stdout, string Stderr, int Exit);

    /// <summary>The run steps of a capture, numbered from 1 in script order.</summary>
    public static List<Step> Steps(string output)
    {
        var steps = new List<Step>();
        string[] lines = output.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("$ ", StringComparison.Ordinal))
            {
                continue;
            }
            string command = lines[i][2..];
            var stdout = new List<string>();
            for (i++; lines[i] != "--stderr--"; i++)
            {
                // Kernel messages reached the capture's console, not ndctl's stdout.
                if (!KernelMessage().IsMatch(lines[i]))
                {
                    stdout.Add(lines[i] + "\n");
                }
            }
            var stderr = new List<string>();
            for (i++; !lines[i].StartsWith("--rc ", StringComparison.Ordinal); i++)
            {
                stderr.Add(lines[i] + "\n");
            }
            steps.Add(new Step(steps.Count + 1, command, string.Concat(stdout), string.Concat(stderr), int.Parse(lines[i][5..], System.Globalization.CultureInfo.InvariantCulture)));
        }
        return steps;
    }

    /// <summary>Boots the case's machine with a new backend in <paramref name="folder"/> and runs the script's lines in order.</summary>
    public static List<Outcome> Run(string caseName, string script, string output, string folder, Guid madeUpUuid)
    {
        string args = File.ReadAllText(Path.Combine(ReferenceData.Case(caseName), "qemu-args.txt"));
        string image = Path.Combine(folder, MemPath().Match(args).Groups[1].Value);
        using (var file = new FileStream(image, FileMode.CreateNew))
        {
            file.SetLength(256L << 20);
        }
        string[] argv = [.. args.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(a => MemPath().Replace(a, "mem-path=" + image))];
        using VirtualMachine machine = VirtualMachine.Create(argv, new StderrSink(_ => { }, _ => { }));
        using LinuxGuest guest = GuestConsole.Boot(machine);
        // Linux made up the pfn uuid; the replay makes up the same one.
        var shell = new GuestShell(guest, new GuestFolder(folder)) { NewUuid = () => madeUpUuid };

        Queue<Step> steps = new(Steps(output));
        var outcomes = new List<Outcome>();
        foreach (string raw in File.ReadAllLines(Path.Combine(ReferenceData.Case(caseName), script)))
        {
            string line = raw.Replace("/tmp/", "", StringComparison.Ordinal);
            if (line.StartsWith("run ndctl ", StringComparison.Ordinal))
            {
                Step step = steps.Dequeue();
                Assert.Equal(raw[4..], step.Command);
                var stdout = new StringWriter();
                var stderr = new StringWriter();
                int exit = shell.Execute(line[4..], stdout, stderr);
                outcomes.Add(new Outcome(step, stdout.ToString(), stderr.ToString(), exit));
            }
            else if (line.StartsWith("ndctl ", StringComparison.Ordinal))
            {
                // A preparation step whose output the capture did not keep.
                string command = Regex.Replace(line, @"\s*(2>&1|2>/dev/null|>/dev/null|\|.*)", "");
                shell.Execute(command, new StringWriter(), new StringWriter());
            }
            else if (line.StartsWith("dd if=/dev/zero of=", StringComparison.Ordinal))
            {
                File.WriteAllBytes(Path.Combine(folder, line.Split(' ')[2]["of=".Length..]), new byte[128 * 1024]);
            }
        }
        return outcomes;
    }

    [GeneratedRegex(@"mem-path=([^,\s]+)")]
    private static partial Regex MemPath();

    [GeneratedRegex(@"^\[\s*\d+\.\d+\]")]
    private static partial Regex KernelMessage();
}
