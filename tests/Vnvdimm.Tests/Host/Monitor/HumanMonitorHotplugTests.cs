using Vnvdimm.Host.Monitor;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>HMP object_add/object_del/device_add/device_del/help, checked against qemu-system-x86_64 7.2 -monitor stdio.</summary>
public sealed class HumanMonitorHotplugTests
{
    private static string Run(HumanMonitor monitor, StringWriter output, string line)
    {
        output.GetStringBuilder().Clear();
        Assert.True(monitor.Execute(line));
        return output.ToString();
    }

    [Fact]
    public void Hotplug_commands_print_qemus_texts()
    {
        using var rig = new MonitorTestMachine();
        var output = new StringWriter { NewLine = "\n" };
        var monitor = new HumanMonitor(rig.Machine, output);
        string add = $"object_add memory-backend-file,id=mem2,share=on,mem-path={rig.Scratch.File("hpb.img")},size=256M";
        Assert.Equal("", Run(monitor, output, add));
        Assert.Equal("Error: attempt to add duplicate property 'mem2' to object (type 'container')\n", Run(monitor, output, add));
        Assert.Equal("Error: Parameter 'size' is missing\n", Run(monitor, output, "object_add memory-backend-ram,id=r2"));
        Assert.Equal("object_add: string expected\nTry \"help object_add\" for more information\n", Run(monitor, output, "object_add"));
        Assert.Equal("", Run(monitor, output, "device_add nvdimm,id=nvdimm2,memdev=mem2,label-size=128K"));
        Assert.Equal(1UL << 4, rig.Machine.Bus.Gpe0Status);
        Assert.Equal("Error: Duplicate device ID 'nvdimm2'\n", Run(monitor, output, "device_add nvdimm,id=nvdimm2,memdev=mem2"));
        Assert.Equal("Error: Device 'memx' not found\n", Run(monitor, output, "device_add nvdimm,id=nv3,memdev=memx"));
        Assert.Equal("Error: Parameter 'driver' is missing\n", Run(monitor, output, "device_add id=nv3"));
        Assert.Equal("Error: nvdimm device hot unplug is not supported yet.\n", Run(monitor, output, "device_del nvdimm2"));
        Assert.Equal("Error: Device 'nope' not found\n", Run(monitor, output, "device_del nope"));
        Assert.Equal("device_del: string expected\nTry \"help device_del\" for more information\n", Run(monitor, output, "device_del"));
        Assert.Equal("Error: object 'mem2' is in use, can not be deleted\n", Run(monitor, output, "object_del mem2"));
        Assert.Equal("Error: object 'nope' not found\n", Run(monitor, output, "object_del nope"));
        Assert.Equal("unknown command: 'foo'\n", Run(monitor, output, "foo bar"));
        Assert.Equal(
            "Memory device [nvdimm]: \"nvdimm1\"\n  addr: 0x100000000\n  slot: 0\n  node: 0\n  size: 268304384\n  memdev: /objects/mem1\n  hotplugged: false\n  hotpluggable: true\n"
            + "Memory device [nvdimm]: \"nvdimm2\"\n  addr: 0x10ffe0000\n  slot: 1\n  node: 0\n  size: 268304384\n  memdev: /objects/mem2\n  hotplugged: true\n  hotpluggable: true\n",
            Run(monitor, output, "info memory-devices"));
    }

    [Fact]
    public void Help_lists_the_available_commands()
    {
        using var rig = new MonitorTestMachine();
        var output = new StringWriter { NewLine = "\n" };
        var monitor = new HumanMonitor(rig.Machine, output);
        Assert.Equal("object_add [qom-type=]type,id=str[,prop=value][,...] -- create QOM object\n", Run(monitor, output, "help object_add"));
        Assert.Equal("quit|q  -- quit the emulator\n", Run(monitor, output, "help q"));
        Assert.Contains("device_del device -- remove device\n", Run(monitor, output, "help"));
        Assert.Equal("info version  -- show the version of QEMU\n", Run(monitor, output, "help info").Split('\n')[2] + "\n");
        Assert.Equal("unknown command: 'info bogus'\n", Run(monitor, output, "info bogus"));
    }
}
