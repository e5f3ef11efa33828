namespace Vnvdimm.Host.Check;

/// <summary>One line of /proc/self/mountinfo.</summary>
public sealed record MountEntry(uint Major, uint Minor, string MountPoint, string FileSystem, string MountOptions, string SuperOptions)
{
    /// <summary>Mounted with "dax" or "dax=always" (ext4, xfs); "dax=inode" leaves it to each file.</summary>
    public bool IsDax => HasDax(MountOptions) || HasDax(SuperOptions);

    public string Options => SuperOptions.Length == 0 ? MountOptions : $"{MountOptions},{SuperOptions}";

    private static bool HasDax(string options) =>
        options.Split(',').Any(o => o is "dax" or "dax=always");
}

/// <summary>The mounts of this process, as /proc/self/mountinfo lists them.</summary>
public sealed class MountTable(IReadOnlyList<MountEntry> entries)
{
    public IReadOnlyList<MountEntry> Entries => entries;

    public static MountTable ReadCurrent()
    {
        try
        {
            return Parse(File.ReadAllText("/proc/self/mountinfo"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new MountTable([]);
        }
    }

    /// <summary>Parses mountinfo text; malformed lines are skipped.</summary>
    public static MountTable Parse(string text)
    {
        var entries = new List<MountEntry>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTIONS"
            string[] fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 7 || separator < 0 || separator + 1 >= fields.Length)
            {
                continue;
            }
            string[] device = fields[2].Split(':');
            if (device.Length != 2 || !uint.TryParse(device[0], out uint major) || !uint.TryParse(device[1], out uint minor))
            {
                continue;
            }
            string superOptions = separator + 3 < fields.Length ? fields[separator + 3] : string.Empty;
            entries.Add(new MountEntry(major, minor, Unescape(fields[4]), fields[separator + 1], fields[5], superOptions));
        }
        return new MountTable(entries);
    }

    /// <summary>
    /// The mount holding a file on device <paramref name="major"/>:<paramref name="minor"/>: of
    /// the mounts of that device (bind mounts share it), the one whose mount point is the longest
    /// prefix of <paramref name="path"/>; the last mounted when none is.
    /// </summary>
    public MountEntry? Find(uint major, uint minor, string path)
    {
        MountEntry? best = null;
        foreach (MountEntry entry in entries)
        {
            if (entry.Major != major || entry.Minor != minor)
            {
                continue;
            }
            bool contains = IsUnder(path, entry.MountPoint);
            bool bestContains = best is not null && IsUnder(path, best.MountPoint);
            if (best is null || (contains && (!bestContains || entry.MountPoint.Length >= best.MountPoint.Length)) || (!contains && !bestContains))
            {
                best = entry;
            }
        }
        return best;
    }

    private static bool IsUnder(string path, string mountPoint) =>
        mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }
        var text = new System.Text.StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && field.Length - i >= 4 && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }
        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
