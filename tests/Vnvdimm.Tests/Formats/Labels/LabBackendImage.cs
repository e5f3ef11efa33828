using System.Diagnostics;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Formats.Labels;

/// <summary>
/// The lab case's backend (shared/reference/qemu-7.2/lab/backend.img.xz: 512 MiB written by a Linux
/// guest, label area = last 128 KiB), decompressed once per test run with xz into a temp folder.
/// A missing xz fails the test unless VNVDIMM_SKIP_EXTERNAL=1 (then <see cref="TryGetPath"/> is null).
/// Callers must not modify the shared file: copy it or its label area.
/// </summary>
public static class LabBackendImage
{
    public const int LabelAreaSize = 128 * 1024;

    private static readonly Lazy<string?> Decompressed = new(Decompress, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string LabFolder => ReferenceData.Case("lab");

    /// <summary>The decompressed image, or null when xz is missing and skipping was requested.</summary>
    public static string? TryGetPath() => Decompressed.Value;

    /// <summary>The image's last 128 KiB, or null as for <see cref="TryGetPath"/>.</summary>
    public static byte[]? TryReadLabelArea()
    {
        string? path = TryGetPath();
        if (path is null)
        {
            return null;
        }
        using FileStream stream = File.OpenRead(path);
        byte[] area = new byte[LabelAreaSize];
        stream.Seek(-LabelAreaSize, SeekOrigin.End);
        stream.ReadExactly(area);
        return area;
    }

    private static string? Decompress()
    {
        string? xz = ExternalTools.Find("xz");
        if (xz is null)
        {
            if (ExternalTools.SkipRequested)
            {
                return null;
            }
            throw new InvalidOperationException(
                $"xz is not installed (Debian: apt-get install xz-utils); it is needed to unpack lab/backend.img.xz. Set {ExternalTools.SkipVariable}=1 to skip.");
        }
        string folder = Directory.CreateTempSubdirectory("vnvdimm-lab-").FullName;
        string target = Path.Combine(folder, "backend.img");
        var start = new ProcessStartInfo(xz, ["-dc", Path.Combine(LabFolder, "backend.img.xz")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using (Process process = Process.Start(start)!)
        using (FileStream output = File.Create(target))
        {
            Task<string> errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"xz -dc failed ({process.ExitCode}): {errors.Result}");
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return target;
    }
}
