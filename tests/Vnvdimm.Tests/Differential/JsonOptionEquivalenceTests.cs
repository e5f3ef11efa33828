using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Differential;

/// <summary>
/// A machine configured with JSON -object/-device (as libvirt writes them) is the same machine as
/// with key=value options: "info memdev" and "info memory-devices" print the same, and the
/// backend files are the same.
/// </summary>
public sealed class JsonOptionEquivalenceTests
{
    public static TheoryData<string[], string[]> Pairs() => new()
    {
        {
            ["-object", "memory-backend-file,id=mem1,share=on,mem-path=@DIR@/nv.img,size=256M",
             "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K"],
            ["-object", "{\"qom-type\":\"memory-backend-file\",\"id\":\"mem1\",\"mem-path\":\"@DIR@/nv.img\",\"size\":268435456,\"share\":true}",
             "-device", "{\"driver\":\"nvdimm\",\"id\":\"nvdimm1\",\"memdev\":\"mem1\",\"label-size\":131072}"]
        },
        {
            ["-object", "memory-backend-ram,id=r1,size=4M,merge=off,dump=off,prealloc=on,prealloc-threads=2",
             "-object", "memory-backend-memfd,id=f1,size=2M,seal=off,share=off",
             "-object", "memory-backend-file,id=m1,size=8M,mem-path=@DIR@/a.img,align=2M,discard-data=on,readonly=off,pmem=off",
             "-device", "nvdimm,id=a,memdev=r1,slot=2,addr=0x104000000,node=0,unarmed=on,uuid=6f0e1a2b-3c4d-5e6f-8091-a2b3c4d5e6f7,label-size=256K",
             "-device", "pc-dimm,id=b,memdev=f1",
             "-device", "nvdimm,memdev=m1"],
            ["-object", "{\"qom-type\":\"memory-backend-ram\",\"id\":\"r1\",\"size\":4194304,\"merge\":false,\"dump\":false,\"prealloc\":true,\"prealloc-threads\":2}",
             "-object", "{'qom-type':'memory-backend-memfd','id':'f1','size':2097152,'seal':false,'share':false}",
             "-object", "{\"qom-type\":\"memory-backend-file\",\"id\":\"m1\",\"size\":8388608,\"mem-path\":\"@DIR@/a.img\",\"align\":2097152,\"discard-data\":true,\"readonly\":false,\"pmem\":false}",
             "-device", "{\"driver\":\"nvdimm\",\"id\":\"a\",\"memdev\":\"r1\",\"slot\":2,\"addr\":4362076160,\"node\":0,\"unarmed\":true,\"uuid\":\"6f0e1a2b-3c4d-5e6f-8091-a2b3c4d5e6f7\",\"label-size\":262144}",
             "-device", "{\"driver\":\"pc-dimm\",\"id\":\"b\",\"memdev\":\"f1\"}",
             "-device", "{\"driver\":\"nvdimm\",\"memdev\":\"m1\"}"]
        },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Json_options_build_the_same_machine_as_key_value_options(string[] keyValue, string[] json)
    {
        string[] machine = ["-M", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G"];
        using var keyValueDir = new ScratchDirectory("vnvdimm-kv-");
        using var jsonDir = new ScratchDirectory("vnvdimm-json-");
        MachineRun fromKeyValue = MachineRunner.RunVnvdimm([.. machine, .. keyValue], keyValueDir.Path);
        MachineRun fromJson = MachineRunner.RunVnvdimm([.. machine, .. json], jsonDir.Path);

        Assert.Equal(0, fromKeyValue.ExitCode);
        Assert.Equal(0, fromJson.ExitCode);
        Assert.Equal(2, fromJson.MonitorOutputs.Count);
        Assert.Contains("memory backend: ", fromJson.MonitorOutputs[1], StringComparison.Ordinal);
        Assert.Contains("Memory device [", fromJson.MonitorOutputs[0], StringComparison.Ordinal);
        Assert.Equal(fromKeyValue.MonitorOutputs, fromJson.MonitorOutputs);
        Assert.Equal(fromKeyValue.Stderr, fromJson.Stderr);
        Assert.Equal(keyValueDir.Snapshot(4 << 20), jsonDir.Snapshot(4 << 20));
    }
}
