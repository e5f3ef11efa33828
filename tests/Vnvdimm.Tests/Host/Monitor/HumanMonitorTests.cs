using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>"info memory-devices" and "info memdev" in QEMU 7.2's text (hmp-cmds.c).</summary>
public sealed class HumanMonitorTests
{
    [Fact]
    public void Info_commands_print_qemus_format()
    {
        using var scratch = new ScratchDirectory();
        using VirtualMachine machine = VirtualMachine.Create(
            ["-M", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
             "-object", $"memory-backend-file,id=mem1,share=on,mem-path={scratch.File("a.img")},size=256M",
             "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
             "-object", "memory-backend-ram,id=r2,size=128M,policy=bind,host-nodes=0",
             "-device", "pc-dimm,memdev=r2"],
            StderrSink.Collect(new List<string>(), "vnvdimm"));
        var output = new StringWriter { NewLine = "\n" };
        var monitor = new HumanMonitor(machine, output);
        Assert.True(monitor.Execute("info memory-devices"));
        Assert.Equal(
            """
            Memory device [nvdimm]: "nvdimm1"
              addr: 0x100000000
              slot: 0
              node: 0
              size: 268304384
              memdev: /objects/mem1
              hotplugged: false
              hotpluggable: true
            Memory device [dimm]: ""
              addr: 0x110000000
              slot: 1
              node: 0
              size: 134217728
              memdev: /objects/r2
              hotplugged: false
              hotpluggable: true

            """.Replace("\r", string.Empty, StringComparison.Ordinal),
            output.ToString());

        output.GetStringBuilder().Clear();
        Assert.True(monitor.Execute("info memdev"));
        Assert.Equal(
            """
            memory backend: r2
              size:  134217728
              merge: true
              dump: true
              prealloc: false
              share: false
              reserve: true
              policy: bind
              host nodes: 0
            memory backend: mem1
              size:  268435456
              merge: true
              dump: true
              prealloc: false
              share: true
              reserve: true
              policy: default
              host nodes: 
            memory backend: pc.ram
              size:  536870912
              merge: true
              dump: true
              prealloc: false
              share: false
              reserve: true
              policy: default
              host nodes: 


            """.Replace("\r", string.Empty, StringComparison.Ordinal),
            output.ToString());
        Assert.False(monitor.Execute("quit"));
    }
}
