using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Tests.Host.Configuration;

/// <summary>-smp: keyval merged into the machine's "smp" property (messages from QEMU 7.2).</summary>
public sealed class SmpOptionsTests
{
    [Theory]
    [InlineData("2", 2u, 2u)]
    [InlineData("cpus=2,maxcpus=4", 2u, 4u)]
    [InlineData("sockets=2,cores=2", 4u, 4u)]
    [InlineData("maxcpus=4", 4u, 4u)]
    [InlineData("0", 1u, 1u)]
    public void Cpu_counts(string argument, uint cpus, uint maxCpus)
    {
        SmpOptions smp = VmConfiguration.Parse(["-smp", argument], _ => { }).Machine.Smp;
        Assert.Equal((cpus, maxCpus), (smp.Cpus, smp.MaxCpus));
    }

    [Theory]
    [InlineData("pc", "x", "Parameter 'smp.cpus' expects integer")]
    [InlineData("pc", "2,foo=1", "Parameter 'smp.foo' is unexpected")]
    [InlineData("pc", "2,,x", "-smp 2,,x: Invalid parameter ''")]
    [InlineData("pc", "clusters=2", "clusters not supported by this machine's CPU topology")]
    [InlineData("pc", "4,sockets=3", "Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (3) * dies (1) * cores (1) * threads (1) != maxcpus (4)")]
    [InlineData("pc", "cpus=2,maxcpus=1", "Invalid CPU topology: maxcpus must be equal to or greater than smp: sockets (1) * dies (1) * cores (1) * threads (1) == maxcpus (1) < smp_cpus (2)")]
    [InlineData("pc", "300", "Invalid SMP CPUs 300. The max CPUs supported by machine 'pc-i440fx-7.2' is 255")]
    [InlineData("q35", "300", "Invalid SMP CPUs 300. The max CPUs supported by machine 'pc-q35-7.2' is 288")]
    public void Smp_errors_match_qemu(string machine, string argument, string expected)
    {
        Assert.Equal(expected, Assert.Throws<QemuOptionException>(() => VmConfiguration.Parse(["-M", machine, "-smp", argument], _ => { })).Formatted);
    }

    [Fact]
    public void Zero_is_a_deprecated_topology()
    {
        var warnings = new List<string>();
        VmConfiguration.Parse(["-smp", "0"], warnings.Add);
        Assert.Equal(["warning: Deprecated CPU topology (considered invalid): CPU topology parameters must be greater than zero"], warnings);
    }
}
