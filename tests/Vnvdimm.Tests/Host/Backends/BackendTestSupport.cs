using System.Security.Cryptography;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Tests.Host.Backends;

/// <summary>A scratch directory plus helpers to build backends from -object text.</summary>
internal sealed class BackendTestSupport : IDisposable
{
    public BackendTestSupport()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("vnvdimm-backends-").FullName;
    }

    public string Directory { get; }

    public List<string> Stderr { get; } = [];

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Parses "-object" text the way QEMU 7.2 does and creates the backend.</summary>
    public MemoryBackend Create(string objectText)
    {
        QemuOpts opts = QemuOpts.Parse(objectText, "qom-type");
        return MemoryBackend.Create(opts.Get("qom-type") ?? string.Empty, opts, StderrSink.Collect(Stderr));
    }

    public static QemuOptionException CreateError(string objectText)
    {
        QemuOpts opts = QemuOpts.Parse(objectText, "qom-type");
        return Assert.Throws<QemuOptionException>(() => MemoryBackend.Create(opts.Get("qom-type") ?? string.Empty, opts, StderrSink.Collect(new List<string>())));
    }

    public static (long Length, string Sha256) Fingerprint(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return (bytes.LongLength, Convert.ToHexString(SHA256.HashData(bytes)));
    }

    /// <summary>Bytes the file system actually allocated for <paramref name="path"/> (st_blocks * 512).</summary>
    public static long AllocatedBytes(string path)
    {
        using SafeFdHandle fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        Assert.False(fd.IsInvalid);
        Assert.Equal(0, Libc.fstat(fd, out Libc.Stat st));
        return st.st_blocks * 512;
    }

    /// <summary>The /proc/self/maps line of the mapping that starts at <paramref name="address"/>.</summary>
    public static string MapsLine(nint address)
    {
        string start = ((ulong)address).ToString("x");
        return File.ReadLines("/proc/self/maps").Single(line => line.StartsWith(start + "-", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
