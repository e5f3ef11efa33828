using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Tests.Host.Configuration;

/// <summary>-m as QEMU 7.2 checks it: QemuOpts at parse time, machine_set_mem with the machine's properties.</summary>
public sealed class MemoryOptionsTests
{
    private const string SizeHint = "\nOptional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.";

    private static MemoryOptions Parse(params string[] args) => VmConfiguration.Parse(args, _ => { }).Memory;

    private static string Error(params string[] args) => Assert.Throws<QemuOptionException>(() => Parse(args)).Formatted;

    [Theory]
    [InlineData(new string[0], 128UL << 20, 0UL, 128UL << 20)]
    [InlineData(new[] { "-m", "512" }, 512UL << 20, 0UL, 512UL << 20)]
    [InlineData(new[] { "-m", "0" }, 128UL << 20, 0UL, 128UL << 20)]
    [InlineData(new[] { "-m", "1G,slots=4,maxmem=4G" }, 1UL << 30, 4UL, 4UL << 30)]
    [InlineData(new[] { "-m", "1001K" }, 1032192UL, 0UL, 1032192UL)]
    [InlineData(new[] { "-m", "1G,slots=2", "-m", "maxmem=4G" }, 1UL << 30, 2UL, 4UL << 30)]
    [InlineData(new[] { "-m", "1G,slots=0,maxmem=1G" }, 1UL << 30, 0UL, 1UL << 30)]
    [InlineData(new[] { "-m", "size=2.5G" }, 2684354560UL, 0UL, 2684354560UL)]
    public void Sizes_slots_and_maxmem(string[] args, ulong ram, ulong slots, ulong maxmem)
    {
        MemoryOptions memory = Parse(args);
        Assert.Equal((ram, slots, maxmem), (memory.RamSize, memory.Slots, memory.MaxMem));
    }

    [Theory]
    [InlineData("1.5", "-m 1.5: Parameter 'size' expects a non-negative number below 2^64" + SizeHint)]
    [InlineData("foo", "-m foo: Parameter 'size' expects a non-negative number below 2^64" + SizeHint)]
    [InlineData("16E", "-m 16E: Value '16E' is out of range for parameter 'size'")]
    [InlineData("1G,maxmem=16E", "-m 1G,maxmem=16E: Value '16E' is out of range for parameter 'maxmem'")]
    [InlineData("1G,slots=1e,maxmem=2G", "-m 1G,slots=1e,maxmem=2G: Parameter 'slots' expects a number")]
    [InlineData("1G,foo=1", "-m 1G,foo=1: Invalid parameter 'foo'")]
    [InlineData("1G,id=x", "-m 1G,id=x: Invalid parameter 'id'")]
    [InlineData("99999999999999", "Parameter 'memory.size' expects size")]
    [InlineData("1G,maxmem=512M", "invalid value of maxmem: maximum memory size (0x20000000) must be at least the initial memory size (0x40000000)")]
    [InlineData("1G,slots=1,maxmem=1G", "invalid value of maxmem: memory slots were specified but maximum memory size (0x40000000) is equal to the initial memory size (0x40000000)")]
    [InlineData("1G,slots=-1", "slots specified but no max-size")]
    public void Memory_errors_match_qemu(string argument, string expected)
    {
        Assert.Equal(expected, Error("-m", argument));
    }

    [Fact]
    public void Hex_size_gets_the_suffix_warning_when_the_machine_property_is_set()
    {
        var warnings = new List<string>();
        VmConfiguration config = VmConfiguration.Parse(["-m", "0x10"], warnings.Add);
        Assert.Equal(16UL << 20, config.Memory.RamSize);
        Assert.Equal(["warning: Using a multiplier suffix on hex numbers is deprecated: 0x10M"], warnings);
    }
}
