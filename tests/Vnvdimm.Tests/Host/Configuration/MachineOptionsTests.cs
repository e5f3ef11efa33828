using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Tests.Host.Configuration;

/// <summary>
/// -machine: keyval syntax errors carry the option, property errors do not, and properties are
/// set in QDict order — messages as Debian's qemu-system-x86_64 7.2 prints them.
/// </summary>
public sealed class MachineOptionsTests
{
    private static VmConfiguration Parse(params string[] args) => VmConfiguration.Parse(args, _ => { });

    private static string Error(params string[] args) => Assert.Throws<QemuOptionException>(() => Parse(args)).Formatted;

    [Fact]
    public void Short_form_boolean_is_refused_by_keyval()
    {
        Assert.Equal("-M pc,nvdimm: Expected '=' after parameter 'nvdimm'", Error("-M", "pc,nvdimm"));
    }

    [Theory]
    [InlineData("pc,,nvdimm=on", "-M pc,,nvdimm=on: Invalid parameter ''")]
    [InlineData("pc,a!b=1", "-M pc,a!b=1: Invalid parameter 'a!b'")]
    [InlineData("pc,1a=1", "-M pc,1a=1: Invalid parameter '1a'")]
    [InlineData("pc,nvdimm=on,nvdimm.x=1", "-M pc,nvdimm=on,nvdimm.x=1: Parameters 'nvdimm.*' used inconsistently")]
    [InlineData("pc,nvdimm.x=1", "Parameters 'nvdimm.*' are unexpected")]
    [InlineData("pc,a.b.c=1", "Property 'pc-i440fx-7.2-machine.a' not found")]
    [InlineData("pc,nvdimm=On", "Parameter 'nvdimm' expects 'on' or 'off'")]
    [InlineData("pc,acpi=maybe", "Parameter 'acpi' does not accept value 'maybe'")]
    [InlineData("pc,max-ram-below-4g=x", "Parameter 'max-ram-below-4g' expects size")]
    [InlineData("pc,max-ram-below-4g=5G", "Machine option 'max-ram-below-4g=5368709120' expects size less than or equal to 4G")]
    [InlineData("pc,max_ram_below_4g=1G,max-ram-below-4g=2G", "Conflict between 'max_ram_below_4g' and 'max-ram-below-4g'")]
    [InlineData("pc,nvdimm-persistence=", "-machine nvdimm-persistence=: unsupported option")]
    [InlineData("pc,x-oem-table-id=123456789", "User specified x-oem-table-id value is bigger than 8 bytes in size")]
    [InlineData("pc,smp=x", "Invalid parameter type for 'smp', expected: object")]
    [InlineData("q35,foo=1", "Property 'pc-q35-7.2-machine.foo' not found")]
    [InlineData("virt", "unsupported machine type\nUse -machine help to list supported machines")]
    public void Machine_errors_match_qemu(string argument, string expected)
    {
        Assert.Equal(expected, Error("-M", argument));
    }

    [Fact]
    public void Properties_are_set_in_qdict_order_not_command_line_order()
    {
        // tdb_hash % 512: nvdimm 111, nvdimm-persistence 127, memory 172, x-oem-table-id 321, x-oem-id 455.
        Assert.Equal("-machine nvdimm-persistence=x: unsupported option", Error("-M", "pc,x-oem-id=1234567,nvdimm-persistence=x"));
        Assert.Equal("Parameter 'nvdimm' expects 'on' or 'off'", Error("-M", "pc,nvdimm-persistence=x,nvdimm=foo"));
        Assert.Equal(
            "invalid value of maxmem: maximum memory size (0x20000000) must be at least the initial memory size (0x40000000)",
            Error("-M", "pc,x-oem-id=1234567", "-m", "1G,maxmem=512M"));
        Assert.Equal("User specified x-oem-table-id value is bigger than 8 bytes in size", Error("-M", "pc,x-oem-table-id=123456789,x-oem-id=1234567"));
    }

    [Fact]
    public void Later_machine_options_override_and_merge()
    {
        VmConfiguration config = Parse("-M", "pc,nvdimm=on", "-machine", "q35,nvdimm-persistence=cpu", "-M", "max-ram-below-4g=1G");
        Assert.Equal(MachineKind.Q35, config.Machine.Kind);
        Assert.True(config.Machine.Nvdimm);
        Assert.Equal(Vnvdimm.Host.Acpi.NvdimmPersistence.Cpu, config.Machine.NvdimmPersistence);
        Assert.Equal(1UL << 30, config.Machine.MaxRamBelow4G);
    }

    [Fact]
    public void Parse_time_errors_come_in_argument_order_before_the_machine_type()
    {
        Assert.Equal("-m foo=1: Invalid parameter 'foo'", Error("-M", "virt", "-m", "foo=1", "-object", "bad"));
        Assert.Equal("-object bad: Parameter 'qom-type' does not accept value 'bad'", Error("-M", "virt", "-object", "bad", "-m", "foo=1"));
        Assert.Equal("-bogus: invalid option", Error("-m", "foo=1", "-bogus"));
        Assert.Equal("-m: requires an argument", Error("-M", "pc", "-m"));
    }
}
