namespace Vnvdimm.Ndctl;

/// <summary>
/// The files a command names (read-labels -o, write-labels -i). Failures are thrown as the
/// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> a failed open(2) maps to,
/// which ndctl reports as "failed to open: FILE: (strerror)".
/// </summary>
public interface INdctlFiles
{
    /// <summary>fopen(path, "r").</summary>
    Stream OpenRead(string path);

    /// <summary>fopen(path, "w+"): created or truncated.</summary>
    Stream Create(string path);
}

/// <summary>The host's file system as the user's own shell sees it (the offline image tool).</summary>
public sealed class HostFiles : INdctlFiles
{
    public static HostFiles Instance { get; } = new();

    private HostFiles()
    {
    }

    public Stream OpenRead(string path) => File.OpenRead(path);

    public Stream Create(string path) => new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
}
