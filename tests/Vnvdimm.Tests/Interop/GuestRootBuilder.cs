using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vnvdimm.Tests.Interop;

/// <summary>
/// Host files laid out as the Linux guest's initramfs: programs with the shared libraries ldd
/// lists for them, busybox applets, kernel modules from the running kernel release's
/// modules.dep, and parent folders made before their files, as the kernel's unpacker needs.
/// The base guest is one of these; a boot that needs more appends another.
/// </summary>
internal sealed partial class GuestRootBuilder(string kernelRelease)
{
    private readonly NewcArchive _archive = new();
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);

    public GuestRootBuilder Directory(string path)
    {
        string partial = "";
        foreach (string part in path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            partial = partial.Length == 0 ? part : $"{partial}/{part}";
            if (_directories.Add(partial))
            {
                _archive.Directory(partial);
            }
        }
        return this;
    }

    public GuestRootBuilder File(string guestPath, byte[] data, bool executable = true)
    {
        string path = guestPath.TrimStart('/');
        if (_files.Add(path))
        {
            if (Path.GetDirectoryName(path) is { Length: > 0 } folder)
            {
                Directory(folder);
            }
            _archive.File(path, data, executable);
        }
        return this;
    }

    /// <summary>A host file at the same path in the guest; symbolic links are followed.</summary>
    public GuestRootBuilder HostFile(string hostPath, string? guestPath = null, bool executable = false) =>
        File(guestPath ?? hostPath, System.IO.File.ReadAllBytes(hostPath), executable);

    /// <summary>A program and every shared library ldd lists for it, at ldd's paths.</summary>
    public GuestRootBuilder Program(string hostPath, string guestPath)
    {
        HostFile(hostPath, guestPath, executable: true);
        foreach (string library in SharedLibraries(hostPath))
        {
            // Executable: the kernel opens the ELF interpreter (ld-linux) for execution.
            HostFile(library, executable: true);
        }
        return this;
    }

    public GuestRootBuilder Symlink(string guestPath, string target)
    {
        if (Path.GetDirectoryName(guestPath.TrimStart('/')) is { Length: > 0 } folder)
        {
            Directory(folder);
        }
        _archive.Symlink(guestPath.TrimStart('/'), target);
        return this;
    }

    public GuestRootBuilder CharDevice(string guestPath, int major, int minor)
    {
        _archive.CharDevice(guestPath.TrimStart('/'), major, minor);
        return this;
    }

    /// <summary>busybox applets as links to /bin/busybox (which the base guest holds).</summary>
    public GuestRootBuilder Applets(params string[] applets)
    {
        foreach (string applet in applets)
        {
            Symlink($"bin/{applet}", "busybox");
        }
        return this;
    }

    /// <summary>Modules of the guest's kernel as /mods/NAME.ko, for busybox insmod (no dependency resolution).</summary>
    public GuestRootBuilder Modules(params string[] names)
    {
        string root = Path.Combine("/lib/modules", kernelRelease);
        Dictionary<string, string> paths = System.IO.File.ReadLines(Path.Combine(root, "modules.dep"))
            .Select(line => line.Split(':')[0])
            .ToDictionary(path => Path.GetFileName(path).Split('.')[0], path => path);
        foreach (string name in names)
        {
            if (!paths.TryGetValue(name, out string? relative) || !relative.EndsWith(".ko", StringComparison.Ordinal))
            {
                // busybox insmod takes plain .ko files; Debian 12 ships them uncompressed.
                throw new InvalidOperationException($"kernel {kernelRelease} has no uncompressed module {name} (modules.dep: {relative ?? "none"}).");
            }
            HostFile(Path.Combine(root, relative), $"mods/{name}.ko");
        }
        return this;
    }

    public byte[] ToArray() => _archive.ToArray();

    /// <summary>The absolute library paths ldd lists for <paramref name="program"/>.</summary>
    private static IEnumerable<string> SharedLibraries(string program)
    {
        var start = new ProcessStartInfo("ldd", [program]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process ldd = Process.Start(start)!;
        string output = ldd.StandardOutput.ReadToEnd();
        string error = ldd.StandardError.ReadToEnd();
        ldd.WaitForExit();
        if (ldd.ExitCode != 0)
        {
            throw new InvalidOperationException($"ldd {program} failed: {error}");
        }
        return LibraryPattern().Matches(output).Select(m => m.Value).Distinct(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"(?<=^|\s)/[^\s:]+\.so[^\s:]*", RegexOptions.Multiline)]
    private static partial Regex LibraryPattern();
}
