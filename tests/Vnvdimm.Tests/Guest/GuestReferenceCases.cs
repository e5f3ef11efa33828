using System.Diagnostics;
using System.Text.RegularExpressions;
using Vnvdimm.Cli;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Guest;

/// <summary>
/// The shared reference captures (shared/reference/qemu-7.2) as guest-console runs: each case's QEMU
/// options with the backend files in a scratch folder (lab's decompressed from backend.img.xz), and
/// what Linux's <c>ndctl list -DRNiu</c> printed.
/// </summary>
internal static partial class GuestReferenceCases
{
    public static readonly string[] Names = ["s1", "s2", "s3", "s4", "lab", "hotplug", "qom5"];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string name in Names)
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>The case's options, with every mem-path made absolute inside <paramref name="directory"/>.</summary>
    public static string[] Arguments(string name, string directory)
    {
        string text = File.ReadAllText(Path.Combine(ReferenceData.Case(name), "qemu-args.txt"));
        // lab's file ends with a remark in parentheses.
        text = Regex.Replace(text, @"\(.*\)", string.Empty);
        return [.. text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(arg => MemPath().Replace(arg, m => "mem-path=" + Path.Combine(directory, m.Groups[1].Value)))];
    }

    /// <summary>Creates what the case needs before boot: lab's backend as Linux left it.</summary>
    public static void PrepareBackends(string name, string directory, Action<string> log)
    {
        if (name != "lab")
        {
            return;
        }
        string xz = ExternalTools.Require("xz", "xz-utils");
        var start = new ProcessStartInfo(xz) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-dc");
        start.ArgumentList.Add(Path.Combine(ReferenceData.Case("lab"), "backend.img.xz"));
        using Process process = Process.Start(start)!;
        using (var file = new FileStream(Path.Combine(directory, "lab.img"), FileMode.Create))
        {
            process.StandardOutput.BaseStream.CopyTo(file);
        }
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>What Linux printed for <c>ndctl list -DRNiu</c> at boot (kernel messages that slipped into the capture removed).</summary>
    public static string ExpectedList(string name)
    {
        string file = name == "hotplug" ? "ndctl-list-before.json" : "ndctl-list.json";
        return StripKernelMessages(File.ReadAllText(Path.Combine(ReferenceData.Case(name), file)));
    }

    public static string StripKernelMessages(string text) =>
        string.Concat(text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n')
            .Where(line => !KernelMessage().IsMatch(line)).Select(line => line + "\n")).TrimEnd('\n') + "\n";

    /// <summary>Runs vnvdimm with <paramref name="args"/>, typing <paramref name="commands"/> into the guest console.</summary>
    public static (int Exit, string Stdout, string Stderr) RunConsole(string[] args, params string[] commands)
    {
        var stdin = new StringReader(string.Concat(commands.Select(c => c + "\n")));
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(args, stdin, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [GeneratedRegex(@"mem-path=([^,]+)")]
    private static partial Regex MemPath();

    [GeneratedRegex(@"^\[\s*\d+\.\d+\]")]
    private static partial Regex KernelMessage();
}
