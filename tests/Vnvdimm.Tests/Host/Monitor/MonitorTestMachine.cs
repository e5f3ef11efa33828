using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>The hotplug reference machine (one cold NVDIMM, slots=4, maxmem=4G) in a scratch folder.</summary>
internal sealed class MonitorTestMachine : IDisposable
{
    public MonitorTestMachine(string maxmem = "4G")
    {
        Machine = VirtualMachine.Create(
            ["-machine", "pc,nvdimm=on", "-m", $"512M,slots=4,maxmem={maxmem}",
             "-object", $"memory-backend-file,id=mem1,share=on,mem-path={Scratch.File("hpa.img")},size=256M",
             "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K"],
            StderrSink.Collect(new List<string>(), "vnvdimm"));
    }

    public ScratchDirectory Scratch { get; } = new();

    public VirtualMachine Machine { get; }

    public string ObjectAddJson(string id, string file, string size = "268435456") =>
        "{\"execute\": \"object-add\", \"arguments\": {\"qom-type\": \"memory-backend-file\", \"id\": \"" + id
        + "\", \"share\": true, \"mem-path\": \"" + Scratch.File(file) + "\", \"size\": " + size + "}}";

    public void Dispose()
    {
        Machine.Dispose();
        Scratch.Dispose();
    }
}
