using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Tests.TestSupport;

/// <summary>
/// A fingerprint of a sparse file that reads only its data extents (lseek SEEK_DATA/SEEK_HOLE):
/// the length, each extent's position and the SHA-256 of its bytes. Any write shows, even zeros
/// written into a hole (the extent map changes), at a fraction of hashing every byte of a mostly
/// empty 512 MiB image.
/// </summary>
public static class SparseFileFingerprint
{
    public static string Of(string path)
    {
        using SafeFdHandle fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        Assert.False(fd.IsInvalid, $"open {path}: {Libc.StrError(Libc.Errno)}");
        using var handle = new SafeFileHandle(fd.DangerousGetHandle(), ownsHandle: false);
        long length = RandomAccess.GetLength(handle);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(BitConverter.GetBytes(length));
        byte[] buffer = new byte[1 << 20];
        long position = 0;
        while (position < length)
        {
            long data = Libc.lseek(fd, position, Libc.SEEK_DATA);
            if (data < 0)
            {
                break; // ENXIO: only a hole remains
            }
            long hole = Libc.lseek(fd, data, Libc.SEEK_HOLE);
            sha.AppendData(BitConverter.GetBytes(data));
            sha.AppendData(BitConverter.GetBytes(hole));
            for (long at = data; at < hole;)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, hole - at)), at);
                if (read == 0)
                {
                    break;
                }
                sha.AppendData(buffer, 0, read);
                at += read;
            }
            position = hole;
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
