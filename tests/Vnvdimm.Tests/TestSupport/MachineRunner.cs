using System.Diagnostics;
using Vnvdimm.Cli;

namespace Vnvdimm.Tests.TestSupport;

/// <summary>
/// Runs a QEMU command line under qemu-system-x86_64 (a process) or vnvdimm (in process, through
/// VnvdimmProgram.Run) with "-S -display none -nodefaults -monitor stdio", sends monitor commands
/// and quit, and normalizes the output. "@DIR@" in an argument stands for the scratch folder, so
/// both programs can run side by side with absolute paths.
/// </summary>
public static class MachineRunner
{
    public const string DirPlaceholder = "@DIR@";

    public static readonly string[] DefaultCommands = ["info memory-devices", "info memdev"];

    private static readonly string[] Prefix = ["-S", "-display", "none", "-nodefaults", "-monitor", "stdio"];

    public static MachineRun RunQemu(string qemuPath, IReadOnlyList<string> args, string directory, IReadOnlyList<string>? commands = null)
    {
        commands ??= DefaultCommands;
        var start = new ProcessStartInfo(qemuPath)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in Prefix.Concat(Expand(args, directory)))
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("qemu-system-x86_64 did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.Write(string.Concat(commands.Select(c => c + "\n")) + "quit\n");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // QEMU exited before reading its monitor input (a refused configuration).
        }
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"qemu-system-x86_64 did not finish: {string.Join(' ', args)}");
        }
        return Normalize(process.ExitCode, stdout.Result, stderr.Result, "qemu-system-x86_64", directory, echoes: true, commands.Count);
    }

    public static MachineRun RunVnvdimm(IReadOnlyList<string> args, string directory, IReadOnlyList<string>? commands = null)
    {
        commands ??= DefaultCommands;
        var stdin = new StringReader(string.Concat(commands.Select(c => c + "\n")) + "quit\n");
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exitCode = VnvdimmProgram.Run([.. Prefix, .. Expand(args, directory)], stdin, stdout, stderr);
        return Normalize(exitCode, stdout.ToString(), stderr.ToString(), VnvdimmProgram.ProgramName, directory, echoes: false, commands.Count);
    }

    private static IEnumerable<string> Expand(IEnumerable<string> args, string directory) =>
        args.Select(a => a.Replace(DirPlaceholder, directory, StringComparison.Ordinal));

    private static MachineRun Normalize(int exitCode, string stdout, string stderr, string program, string directory, bool echoes, int commandCount)
    {
        string Clean(string text) => StripEscapes(text).Replace("\r", string.Empty, StringComparison.Ordinal)
            .Replace(directory, DirPlaceholder, StringComparison.Ordinal);

        string err = string.Join('\n', Clean(stderr).Split('\n')
            .Select(line => line.StartsWith(program + ": ", StringComparison.Ordinal) ? "PROG: " + line[(program.Length + 2)..] : line));
        string outText = Clean(stdout);
        var outputs = new List<string>();
        // Each prompt is followed by the command's output; QEMU's readline first echoes the command.
        string[] segments = outText.Split("(qemu) ");
        for (int i = 1; i < segments.Length && outputs.Count < commandCount; i++)
        {
            string segment = segments[i];
            if (echoes)
            {
                int newline = segment.IndexOf('\n');
                segment = newline < 0 ? string.Empty : segment[(newline + 1)..];
            }
            outputs.Add(segment);
        }
        return new MachineRun(exitCode, outText, err, outputs);
    }

    // QEMU's readline redraws the line with ESC [ K and ESC [ D sequences.
    private static string StripEscapes(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*[A-Za-z]", string.Empty);
}
