using System.Security.Cryptography;

namespace Vnvdimm.Tests.TestSupport;

/// <summary>A temporary folder, deleted on dispose, with helpers for backend files.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory(string prefix = "vnvdimm-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates <paramref name="name"/> with <paramref name="length"/> bytes of seeded random data.</summary>
    public string CreateFile(string name, long length, int seed)
    {
        string path = File(name);
        using var stream = new FileStream(path, FileMode.CreateNew);
        var random = new Random(seed);
        byte[] buffer = new byte[64 * 1024];
        for (long written = 0; written < length; written += buffer.Length)
        {
            random.NextBytes(buffer);
            stream.Write(buffer, 0, (int)Math.Min(buffer.Length, length - written));
        }
        return path;
    }

    /// <summary>
    /// Every regular file below the folder: relative name, length and the SHA-256 of its first
    /// <paramref name="hashLimit"/> bytes (all of it by default).
    /// </summary>
    public SortedDictionary<string, (long Length, string Sha256)> Snapshot(long hashLimit = long.MaxValue)
    {
        var result = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            result[System.IO.Path.GetRelativePath(Path, file)] = Fingerprint(file, hashLimit);
        }
        return result;
    }

    /// <summary>Length and SHA-256 of a file's first <paramref name="hashLimit"/> bytes.</summary>
    public static (long Length, string Sha256) Fingerprint(string file, long hashLimit = long.MaxValue)
    {
        using FileStream stream = System.IO.File.OpenRead(file);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 20];
        long remaining = Math.Min(hashLimit, stream.Length);
        while (remaining > 0)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                break;
            }
            sha.AppendData(buffer, 0, read);
            remaining -= read;
        }
        return (stream.Length, Convert.ToHexString(sha.GetHashAndReset()));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
