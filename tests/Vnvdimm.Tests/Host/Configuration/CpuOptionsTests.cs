using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Tests.Host.Configuration;

/// <summary>-cpu: the model at parse time, features when the CPU is created (messages from QEMU 7.2).</summary>
public sealed class CpuOptionsTests
{
    [Theory]
    [InlineData(null, 40u, true)]
    [InlineData("qemu64,phys-bits=48", 48u, true)]
    [InlineData("qemu64,phys-bits=0", 40u, true)]
    [InlineData("kvm64,phys-bits=0x30", 48u, false)]
    [InlineData("EPYC", 40u, true)]
    [InlineData("max,phys_bits=44", 44u, true)]
    [InlineData("qemu32", 32u, false)]
    [InlineData("kvm32", 36u, false)]
    [InlineData("athlon", 36u, true)]
    [InlineData("qemu32,+lm,phys-bits=40", 40u, false)]
    [InlineData("qemu64,,phys-bits=40,phys-bits=41", 41u, true)]
    public void Phys_bits_and_vendor(string? option, uint physBits, bool amd)
    {
        CpuOptions cpu = CpuOptions.Parse(option).Realize();
        Assert.Equal((physBits, amd), (cpu.PhysBits, cpu.IsAmd));
    }

    [Theory]
    [InlineData("", "-cpu option cannot be empty")]
    [InlineData("foo", "unable to find CPU model 'foo'")]
    [InlineData(",phys-bits=40", "unable to find CPU model ''")]
    public void Model_errors_come_at_parse_time(string option, string expected)
    {
        Assert.Equal(expected, Assert.Throws<QemuOptionException>(() => CpuOptions.Parse(option)).Message);
    }

    [Theory]
    [InlineData("qemu64,phys-bits=20", "phys-bits should be between 32 and 52  (but is 20)")]
    [InlineData("qemu64,phys-bits=53", "phys-bits should be between 32 and 52  (but is 53)")]
    [InlineData("qemu64,phys-bits=x", "can't apply global qemu64-x86_64-cpu.phys-bits=x: Parameter 'phys-bits' expects uint64")]
    [InlineData("qemu64,phys-bits=-1", "can't apply global qemu64-x86_64-cpu.phys-bits=-1: Parameter 'phys-bits' expects uint32_t")]
    [InlineData("qemu64,phys-bits", "can't apply global qemu64-x86_64-cpu.phys-bits=on: Parameter 'phys-bits' expects uint64")]
    [InlineData("qemu64,foo=1,bar=2", "can't apply global qemu64-x86_64-cpu.foo=1: Property 'qemu64-x86_64-cpu.foo' not found")]
    [InlineData("qemu64,phys-bits=20,family=x", "can't apply global qemu64-x86_64-cpu.family=x: Parameter 'family' expects int64")]
    [InlineData("qemu64,phys-bits=20,+foo", "Property 'qemu64-x86_64-cpu.foo' not found")]
    [InlineData("qemu64,lm=x", "can't apply global qemu64-x86_64-cpu.lm=x: Parameter 'lm' expects 'on' or 'off'")]
    [InlineData("qemu64,-lm,phys-bits=40", "phys-bits is not user-configurable in 32 bit")]
    [InlineData("host,phys-bits=40", "CPU model 'host' requires KVM or HVF")]
    public void Feature_errors_come_when_the_cpu_is_created(string option, string expected)
    {
        CpuOptions parsed = CpuOptions.Parse(option);
        Assert.Equal(expected, Assert.Throws<QemuOptionException>(() => parsed.Realize()).Message);
    }
}
