using System.Diagnostics;
using Vnvdimm.Host.Check;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// A refusal `vnvdimm check` reports is the line qemu-system-x86_64 7.2 prints for the same
/// command line (run here), without its program name: the dry run goes through the machine's own
/// checks.
/// </summary>
public sealed class CheckRefusalTests : IDisposable
{
    private readonly ScratchDirectory scratch = new("vnvdimm-check-refused-");

    public void Dispose() => scratch.Dispose();

    private const string Machine = "pc,nvdimm=on";
    private const string Memory = "512M,slots=4,maxmem=4G";

    public static TheoryData<string, string, string> Cases() => new()
    {
        // An existing file smaller than size=.
        { Machine, "memory-backend-file,id=m1,share=on,mem-path=@small.img,size=256M", "nvdimm,id=nv1,memdev=m1" },
        // readonly=on without unarmed=on.
        { Machine, "memory-backend-file,id=m1,share=on,readonly=on,mem-path=@ro.img,size=256M", "nvdimm,id=nv1,memdev=m1" },
        // No room for the label area and one aligned (2 MiB, anonymous RAM) page of pmem.
        { Machine, "memory-backend-ram,id=m1,size=2M", "nvdimm,id=nv1,memdev=m1,label-size=128K" },
        { Machine, "memory-backend-file,id=m1,share=on,mem-path=@ro.img,size=256M,align=3M", "nvdimm,id=nv1,memdev=m1" },
        { Machine, "memory-backend-file,id=m1,share=on,mem-path=@no/such/x.img,size=256M", "nvdimm,id=nv1,memdev=m1" },
        { "pc", "memory-backend-ram,id=m1,size=256M", "nvdimm,id=nv1,memdev=m1" },
        { Machine, "memory-backend-ram,id=m1,size=256M", "nvdimm,id=nv1,memdev=m1,slot=4" },
        { Machine, "memory-backend-ram,id=m1,size=4G", "nvdimm,id=nv1,memdev=m1" },
        { Machine, "memory-backend-ram,id=m1,size=256M", "nvdimm,id=nv1,memdev=m1,node=1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refusal_is_qemus_line(string machine, string backend, string device)
    {
        string qemu = ExternalTools.Require("qemu-system-x86_64", "qemu-system-x86");
        using (var small = File.Create(scratch.File("small.img")))
        {
            small.SetLength(1 << 20);
        }
        using (var ro = File.Create(scratch.File("ro.img")))
        {
            ro.SetLength(256L << 20);
        }
        backend = backend.Replace("@", scratch.Path + "/", StringComparison.Ordinal);
        string[] args = ["-machine", machine, "-m", Memory, "-object", backend, "-device", device];

        CheckReport report = ConfigurationCheck.Run(args, new HostBackingStoreInspector());
        string expected = FirstQemuError(qemu, args);

        DeviceReport checkedDevice = Assert.Single(report.Devices);
        Assert.Equal((PersistenceVerdict.Refused, expected), (checkedDevice.Verdict, checkedDevice.Refusal));
        Assert.Equal(expected, report.QemuError);
        Assert.Equal(1, report.ExitStatus);
    }

    private static string FirstQemuError(string qemu, string[] args)
    {
        var start = new ProcessStartInfo(qemu, ["-S", "-display", "none", "-nodefaults", "-monitor", "none", .. args]) { RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            Assert.Fail("qemu-system-x86_64 accepted a configuration the test expects it to refuse");
        }
        const string prefix = "qemu-system-x86_64: ";
        string line = stderr.Result.Split('\n').First(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..];
    }
}
