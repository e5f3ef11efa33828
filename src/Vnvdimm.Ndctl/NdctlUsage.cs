using System.Reflection;

namespace Vnvdimm.Ndctl;

/// <summary>
/// ndctl 76's usage text for each subcommand, word for word as `ndctl COMMAND -h` prints it on
/// stderr (the Usage/*.txt resources). ndctl prints it for -h, for --help after other arguments, and
/// after an option error; the exit status is then 129.
/// </summary>
internal static class NdctlUsage
{
    public const int Exit = 129;

    private static readonly Dictionary<string, string> TextsByUsageLine = Load();

    /// <summary>The usage text whose first line is " usage: <paramref name="usageLine"/>".</summary>
    public static string ForUsageLine(string usageLine) =>
        TextsByUsageLine.TryGetValue(usageLine, out string? text) ? text : $"\n usage: {usageLine}\n\n";

    /// <summary>Prints the usage text (it begins and ends with a blank line, as ndctl's does).</summary>
    public static int Print(string usageLine, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        stderr.Write(ForUsageLine(usageLine));
        stderr.Flush();
        return Exit;
    }

    /// <summary>Whether <paramref name="arg"/> asks parse-options for help: --help or --help-all.</summary>
    public static bool IsLongHelp(string arg) => arg is "--help" or "--help-all";

    private static Dictionary<string, string> Load()
    {
        const string prefix = "\n usage: ";
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        Assembly assembly = typeof(NdctlUsage).Assembly;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Usage.", StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            string text = reader.ReadToEnd();
            int end = text.IndexOf('\n', prefix.Length);
            if (text.StartsWith(prefix, StringComparison.Ordinal) && end > 0)
            {
                texts[text[prefix.Length..end]] = text;
            }
        }
        return texts;
    }
}
