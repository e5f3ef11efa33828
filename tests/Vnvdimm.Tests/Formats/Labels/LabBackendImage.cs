using System.Diagnostics;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Formats.Labels;

/// <summary>
/// The lab case's backend (shared/reference/qemu-7.2/lab/backend.img.xz: 512 MiB written by a Linux
/// guest, label area = last 128 KiB), decompressed once per test run with xz into a temp folder.
/// A missing xz fails the test (skips it under VNVDIMM_SKIP_EXTERNAL=1).
/// Callers must not modify the shared file: copy it or its label area.
/// </summary>
public static class LabBackendImage
{
    public const int LabelAreaSize = 128 * 1024;

    private static readonly Lazy<string> Decompressed = new(Decompress, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string LabFolder => ReferenceData.Case("lab");

    /// <summary>The decompressed image.</summary>
    public static string ImagePath => Decompressed.Value;

    /// <summary>The image's last 128 KiB.</summary>
    public static byte[] ReadLabelArea()
    {
        using FileStream stream = File.OpenRead(ImagePath);
        byte[] area = new byte[LabelAreaSize];
        stream.Seek(-LabelAreaSize, SeekOrigin.End);
        stream.ReadExactly(area);
        return area;
    }

    private static string Decompress()
    {
        string xz = ExternalTools.Require("xz", "xz-utils");
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
