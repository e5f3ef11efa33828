using Vnvdimm.Ndctl;

namespace Vnvdimm.Guest.Console;

/// <summary>
/// The one host folder a guest's commands may name files in, like a shared folder. Relative paths are
/// relative to it; an absolute path is accepted only when it names something inside it (the console is
/// typed on the host, so users write host paths), never remapped. A path that leaves the folder, by
/// "..", by an absolute path or through a symbolic link (checked component by component before the
/// open, and again on the opened file), is refused as open(2) refuses it: Permission denied. Nothing
/// outside the folder is read, created or truncated.
/// </summary>
public sealed class GuestFolder : INdctlFiles
{
    /// <summary>Linux's limit on symbolic links followed in one lookup (ELOOP beyond it).</summary>
    private const int MaxSymlinkHops = 40;

    public GuestFolder(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Root = RealPath(Path.GetFullPath(path));
    }

    /// <summary>The folder's real path (symbolic links resolved).</summary>
    public string Root { get; }

    public Stream OpenRead(string path)
    {
        string real = Resolve(path);
        var stream = new FileStream(real, FileMode.Open, FileAccess.Read);
        return Verified(stream, path);
    }

    public Stream Create(string path)
    {
        string real = Resolve(path);
        FileStream stream;
        if (File.Exists(real))
        {
            // Open first, truncate only once the opened file is known to be inside.
            stream = Verified(new FileStream(real, FileMode.Open, FileAccess.ReadWrite), path);
            stream.SetLength(0);
            return stream;
        }
        // O_CREAT|O_EXCL: never follows a link planted at the name since it was resolved.
        stream = new FileStream(real, FileMode.CreateNew, FileAccess.ReadWrite);
        return Verified(stream, path);
    }

    /// <summary>The real path <paramref name="path"/> names, or UnauthorizedAccessException when it is outside the folder.</summary>
    private string Resolve(string path)
    {
        if (path.Length == 0)
        {
            throw new FileNotFoundException("No such file or directory", path);
        }
        string full = Path.GetFullPath(path, Root);
        if (!IsInside(full) || !IsInside(RealPath(full)))
        {
            throw new UnauthorizedAccessException($"{path}: outside the guest folder");
        }
        return RealPath(full);
    }

    /// <summary>The opened file's own path (/proc/self/fd) must be inside too: a link swapped in meanwhile is caught here.</summary>
    private FileStream Verified(FileStream stream, string path)
    {
        string fd = $"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}";
        string? opened = new FileInfo(fd).LinkTarget;
        if (opened is not null && !IsInside(opened))
        {
            stream.Dispose();
            throw new UnauthorizedAccessException($"{path}: outside the guest folder");
        }
        return stream;
    }

    private bool IsInside(string full) =>
        full == Root || full.StartsWith(Root.EndsWith('/') ? Root : Root + "/", StringComparison.Ordinal);

    /// <summary>realpath(3) for a path whose last components may not exist yet: every existing link is followed.</summary>
    private static string RealPath(string full)
    {
        var pending = new List<string>(full.Split('/', StringSplitOptions.RemoveEmptyEntries));
        string current = "/";
        int hops = 0;
        while (pending.Count > 0)
        {
            string part = pending[0];
            pending.RemoveAt(0);
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            string next = Path.Join(current, part);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++hops > MaxSymlinkHops)
            {
                throw new IOException("Too many levels of symbolic links");
            }
            string resolved = Path.GetFullPath(target, current);
            pending.InsertRange(0, resolved.Split('/', StringSplitOptions.RemoveEmptyEntries));
            current = "/";
        }
        return current;
    }
}
