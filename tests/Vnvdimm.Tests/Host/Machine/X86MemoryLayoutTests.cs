using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Machine;

namespace Vnvdimm.Tests.Host.Machine;

/// <summary>
/// RAM split, device-memory base and the phys-bits bound. Each expected base is the address
/// Debian's qemu-system-x86_64 7.2 gave the first 2 MiB pc-dimm in the same configuration.
/// </summary>
public sealed class X86MemoryLayoutTests
{
    private static X86MemoryLayout Layout(params string[] args)
    {
        VmConfiguration config = VmConfiguration.Parse(args, _ => { });
        return X86MemoryLayout.Compute(config.Machine, config.Memory, CpuOptions.Parse(config.Cpu));
    }

    [Theory]
    [InlineData("pc", "512M,slots=2,maxmem=4G", null, 0x1_0000_0000UL)]
    [InlineData("pc", "4G,slots=2,maxmem=8G", null, 0x1_4000_0000UL)]
    [InlineData("pc", "3584M,slots=2,maxmem=8G", null, 0x1_4000_0000UL)]
    [InlineData("pc", "3583M,slots=2,maxmem=8G", null, 0x1_0000_0000UL)]
    [InlineData("q35", "3G,slots=2,maxmem=8G", null, 0x1_4000_0000UL)]
    [InlineData("q35", "2.5G,slots=2,maxmem=8G", null, 0x1_0000_0000UL)]
    [InlineData("q35", "2816M,slots=2,maxmem=8G", null, 0x1_4000_0000UL)]
    [InlineData("pc,max-ram-below-4g=2G", "3G,slots=2,maxmem=8G", null, 0x1_4000_0000UL)]
    [InlineData("q35,max-ram-below-4g=1G", "3G,slots=2,maxmem=8G", null, 0x1_8000_0000UL)]
    [InlineData("pc,max-ram-below-4g=2560M", "3G,slots=2,maxmem=8G", null, 0x1_4000_0000UL)]
    [InlineData("pc", "4G,slots=4,maxmem=1T", "qemu64,phys-bits=48", 0x100_4000_0000UL)]
    [InlineData("pc", "4G,slots=4,maxmem=1T", "kvm64,phys-bits=48", 0x1_4000_0000UL)]
    [InlineData("q35", "4G,slots=4,maxmem=980G", "qemu64,phys-bits=48", 0x100_8000_0000UL)]
    [InlineData("q35", "4G,slots=4,maxmem=970G", "qemu64,phys-bits=48", 0x1_8000_0000UL)]
    [InlineData("q35", "4G,slots=4,maxmem=970G", null, 0x1_8000_0000UL)]
    [InlineData("pc", "4G,slots=4,maxmem=1T", "qemu32", 0x1_4000_0000UL)]
    public void Device_memory_base_as_in_qemu(string machine, string memory, string? cpu, ulong expectedBase)
    {
        string[] args = cpu is null ? ["-M", machine, "-m", memory] : ["-M", machine, "-m", memory, "-cpu", cpu];
        X86MemoryLayout layout = Layout(args);
        Assert.Equal(expectedBase, layout.DeviceMemoryBase);
        // (maxmem - RAM) plus 1 GiB of alignment slack per slot.
        Assert.Equal(layout.MaxMem - layout.RamSize + layout.Slots * X86MemoryLayout.GiB, layout.DeviceMemorySize);
    }

    [Theory]
    [InlineData("pc", "512M", 512UL << 20, 0UL)]
    [InlineData("pc", "3584M", 3UL << 30, 512UL << 20)]
    [InlineData("pc", "5G", 3UL << 30, 2UL << 30)]
    [InlineData("q35", "2.5G", 2560UL << 20, 0UL)]
    [InlineData("q35", "3G", 2UL << 30, 1UL << 30)]
    [InlineData("q35,max-ram-below-4g=1G", "2G", 1UL << 30, 1UL << 30)]
    public void Ram_split_below_and_above_4g(string machine, string memory, ulong below, ulong above)
    {
        X86MemoryLayout layout = Layout("-M", machine, "-m", memory);
        Assert.Equal((below, above, X86MemoryLayout.FourGiB), (layout.BelowFourGiB, layout.AboveFourGiB, layout.AboveFourGiBStart));
        Assert.False(layout.HasDeviceMemory);
    }

    [Theory]
    [InlineData("1G,slots=1,maxmem=1T", null, "Address space limit 0xffffffffff < 0x2007fffffff phys-bits too low (40)")]
    [InlineData("1G,slots=1,maxmem=1021G", "kvm64", "Address space limit 0xffffffffff < 0x100bfffffff phys-bits too low (40)")]
    [InlineData("1G,maxmem=15E", null, "Address space limit 0xffffffffff < 0xf00001003fffffff phys-bits too low (40)")]
    [InlineData("1G,slots=300,maxmem=2T", "qemu64,phys-bits=33", "Address space limit 0x1ffffffff < 0x34b3fffffff phys-bits too low (33)")]
    [InlineData("1G,slots=257,maxmem=2G", null, "unsupported amount of memory slots: 257")]
    [InlineData("1G,slots=1,maxmem=1073741825", null, "maximum memory size must by aligned to multiple of 4096 bytes")]
    [InlineData("1G,slots=1,maxmem=2199023259649", "qemu64,phys-bits=48", "maximum memory size must by aligned to multiple of 4096 bytes")]
    public void Board_errors_in_qemus_order(string memory, string? cpu, string expected)
    {
        string[] args = cpu is null ? ["-m", memory] : ["-m", memory, "-cpu", cpu];
        Assert.Equal(expected, Assert.Throws<QemuOptionException>(() => Layout(args)).Message);
    }

    [Fact]
    public void Large_pc_machine_warns_about_an_unaligned_low_part()
    {
        var warnings = new List<string>();
        VmConfiguration config = VmConfiguration.Parse(["-M", "pc,max-ram-below-4g=2560M", "-m", "3G"], warnings.Add);
        X86MemoryLayout layout = X86MemoryLayout.Compute(config.Machine, config.Memory, CpuOptions.Default, warnings.Add);
        Assert.Equal(2560UL << 20, layout.BelowFourGiB);
        Assert.Equal(["warning: Large machine and max_ram_below_4g (2684354560) not a multiple of 1G; possible bad performance."], warnings);
    }
}
