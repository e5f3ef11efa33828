namespace Vnvdimm.Tests.Differential;

/// <summary>
/// Hand-picked configurations. <see cref="Invalid"/> pairs each refused configuration with the
/// error line Debian's qemu-system-x86_64 7.2 prints for it (after "qemu-system-x86_64: "),
/// copied from QEMU's output. Every invalid case has the file keep.img (4 MiB of random data)
/// in its folder; many use it as a backend, and it must survive unchanged.
/// </summary>
public static class FixedConfigurations
{
    public const string KeepFile = "keep.img";
    public const long KeepLength = 4 << 20;

    private const string Pc = "pc,nvdimm=on";
    private const string Keep = "memory-backend-file,id=m1,share=on,size=4M,mem-path=@DIR@/keep.img";
    private const string Ram4 = "memory-backend-ram,id=r1,size=4M";

    public sealed record InvalidCase(DifferentialCase Case, string ExpectedError);

    private static InvalidCase Refused(string name, string expected, params string[] args) =>
        new(new DifferentialCase(name, args, [(KeepFile, KeepLength)]), expected);

    /// <summary>Refused configurations and QEMU 7.2's first error line for each.</summary>
    public static readonly IReadOnlyList<InvalidCase> Invalid =
    [
        Refused("short-form machine boolean", "-M pc,nvdimm: Expected '=' after parameter 'nvdimm'",
            "-M", "pc,nvdimm", "-m", "512M,slots=2,maxmem=2G"),
        Refused("machine keyval empty key", "-M pc,,nvdimm=on: Invalid parameter ''",
            "-M", "pc,,nvdimm=on"),
        Refused("maxmem below size", "invalid value of maxmem: maximum memory size (0x20000000) must be at least the initial memory size (0x40000000)",
            "-M", Pc, "-m", "1G,maxmem=512M"),
        Refused("slots with maxmem equal to size", "invalid value of maxmem: memory slots were specified but maximum memory size (0x40000000) is equal to the initial memory size (0x40000000)",
            "-m", "1G,slots=2,maxmem=1G"),
        Refused("slots without maxmem", "slots specified but no max-size",
            "-m", "1G,slots=2"),
        Refused("too many slots", "unsupported amount of memory slots: 257",
            "-m", "1G,slots=257,maxmem=2G"),
        Refused("maxmem not page aligned", "maximum memory size must by aligned to multiple of 4096 bytes",
            "-m", "1G,slots=1,maxmem=1073745921"),
        Refused("phys-bits too low for maxmem (AMD relocation)", "Address space limit 0xffffffffff < 0x2007fffffff phys-bits too low (40)",
            "-m", "1G,slots=1,maxmem=1T"),
        Refused("phys-bits too low for maxmem (Intel)", "Address space limit 0xffffffffff < 0x100bfffffff phys-bits too low (40)",
            "-cpu", "kvm64", "-m", "1G,slots=1,maxmem=1021G"),
        Refused("-m size not a size", "-m 1G,,slots=2: Parameter 'size' expects a non-negative number below 2^64",
            "-m", "1G,,slots=2"),
        Refused("-m unknown parameter", "-m 1G,maxmem=2G,foo=1: Invalid parameter 'foo'",
            "-m", "1G,maxmem=2G,foo=1"),
        Refused("bad nvdimm-persistence", "-machine nvdimm-persistence=disk: unsupported option",
            "-M", "pc,nvdimm=on,nvdimm-persistence=disk"),
        Refused("x-oem-id too long", "User specified x-oem-id value is bigger than 6 bytes in size",
            "-M", "q35,nvdimm=on,x-oem-id=ABCDEFG"),
        Refused("unknown machine property", "Property 'pc-q35-7.2-machine.foo' not found",
            "-M", "q35,foo=1"),
        Refused("machine property checked before -m", "-machine nvdimm-persistence=x: unsupported option",
            "-m", "1G,maxmem=512M", "-M", "pc,nvdimm-persistence=x"),
        Refused("unsupported machine type", "unsupported machine type",
            "-M", "virt,nvdimm=on"),
        Refused("max-ram-below-4g above 4G", "Machine option 'max-ram-below-4g=5368709120' expects size less than or equal to 4G",
            "-M", "pc,max-ram-below-4g=5G"),
        Refused("phys-bits out of range", "phys-bits should be between 32 and 52  (but is 20)",
            "-cpu", "qemu64,phys-bits=20", "-object", Keep),
        Refused("unknown CPU model", "unable to find CPU model 'foo'",
            "-cpu", "foo", "-object", Keep),
        Refused("label-size too small", "-device nvdimm,memdev=m1,label-size=64K: Property 'nvdimm.label-size' (0x10000) is required at least 0x20000",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1,label-size=64K"),
        Refused("label-size as large as the backend", "-device nvdimm,memdev=m1,label-size=4M: the size of memdev m1 (0x400000) is too small to contain nvdimm label (0x400000) and aligned PMEM (0x1000)",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1,label-size=4M"),
        Refused("label leaves less than one ram alignment", "-device nvdimm,memdev=r1,label-size=2M: the size of memdev r1 (0x300000) is too small to contain nvdimm label (0x200000) and aligned PMEM (0x200000)",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", "memory-backend-ram,id=r1,size=3M", "-device", "nvdimm,memdev=r1,label-size=2M"),
        Refused("busy slot", "-device nvdimm,memdev=r1,slot=1: slot 1 is busy",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-object", Ram4, "-device", "nvdimm,memdev=m1,slot=1", "-device", "nvdimm,memdev=r1,slot=1"),
        Refused("slot out of range", "-device nvdimm,memdev=m1,slot=2: invalid slot number 2, valid range is [0-1]",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1,slot=2"),
        Refused("no free slot", "-device pc-dimm,memdev=r1: no free slots available",
            "-M", Pc, "-m", "512M,slots=1,maxmem=2G", "-object", Keep, "-object", Ram4, "-device", "nvdimm,memdev=m1", "-device", "pc-dimm,memdev=r1"),
        Refused("no slots at all", "-device nvdimm,memdev=m1: no slots where allocated, please specify the 'slots' option",
            "-M", Pc, "-m", "512M,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1"),
        Refused("busy memdev", "-device nvdimm,id=b,memdev=m1: can't use already busy memdev: m1",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,id=a,memdev=m1", "-device", "nvdimm,id=b,memdev=m1"),
        Refused("node checked before busy memdev", "-device nvdimm,memdev=m1,node=2: 'DIMM property node has value 2' which exceeds the number of numa nodes: 1",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1", "-device", "nvdimm,memdev=m1,node=2"),
        Refused("unknown node", "-device nvdimm,memdev=m1,node=1: 'DIMM property node has value 1' which exceeds the number of numa nodes: 1",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1,node=1"),
        Refused("readonly without unarmed", "-device nvdimm,memdev=m1: 'unarmed' property must be 'on' since memdev m1 is read-only",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep + ",readonly=on", "-device", "nvdimm,memdev=m1"),
        Refused("maxmem exhausted", "-device nvdimm,memdev=r1: not enough space, currently 0x400000 in use of total space for memory devices 0x600000",
            "-M", Pc, "-m", "512M,slots=2,maxmem=518M", "-object", Keep, "-object", Ram4, "-device", "nvdimm,memdev=m1", "-device", "nvdimm,memdev=r1"),
        Refused("unaligned addr", "-device nvdimm,memdev=r1,addr=0x100001000: address must be aligned to 0x200000 bytes",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Ram4, "-device", "nvdimm,memdev=r1,addr=0x100001000"),
        Refused("addr below the device-memory region", "-device nvdimm,memdev=m1,addr=0x1000: can't add memory device [0x1000:0x400000], usable range for memory devices [0x100000000:0xe0000000]",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1,addr=0x1000"),
        Refused("addr past the device-memory region", "-device nvdimm,memdev=m1,addr=0x200000000: can't add memory device [0x200000000:0x400000], usable range for memory devices [0x100000000:0xe0000000]",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1,addr=0x200000000"),
        Refused("addr conflict", "-device nvdimm,id=d1,memdev=r1,addr=0x100000000: address range conflicts with memory device id='d0'",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-object", Ram4, "-device", "nvdimm,id=d0,memdev=m1", "-device", "nvdimm,id=d1,memdev=r1,addr=0x100000000"),
        Refused("nvdimm without nvdimm=on", "-device nvdimm,memdev=m1: nvdimm is not enabled: missing 'nvdimm' in '-M'",
            "-M", "pc", "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1"),
        Refused("existing file smaller than size", "backing store size 0x400000 does not match 'size' option 0x800000",
            "-object", "memory-backend-file,id=m1,size=8M,mem-path=@DIR@/keep.img"),
        Refused("memdev not found", "-device nvdimm,memdev=nope: Device 'nope' not found",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=nope"),
        Refused("duplicate device id", "-device nvdimm,id=d0,memdev=r1: Duplicate ID 'd0' for device",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-object", Ram4, "-device", "nvdimm,id=d0,memdev=m1", "-device", "nvdimm,id=d0,memdev=r1"),
        Refused("unarmed not a boolean", "-device nvdimm,memdev=m1,unarmed=maybe: Parameter 'unarmed' expects 'on' or 'off'",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1,unarmed=maybe"),
        Refused("numa memdev not found", "-numa node,memdev=nope: memdev=nope is ambiguous",
            "-M", Pc, "-m", "512M", "-object", Keep, "-numa", "node,memdev=nope"),
        Refused("numa memory not equal to RAM", "total memory for NUMA nodes (0x10000000) should equal RAM size (0x20000000)",
            "-M", Pc, "-m", "512M", "-object", "memory-backend-ram,id=r1,size=256M", "-numa", "node,memdev=r1"),
        Refused("numa node id missing", "numa: Node ID missing: 1",
            "-M", Pc, "-m", "512M", "-object", "memory-backend-ram,id=r1,size=512M", "-numa", "node,memdev=r1", "-numa", "node,nodeid=2"),
        Refused("backend size zero", "property 'size' of memory-backend-ram doesn't take value '0'",
            "-object", Keep, "-object", "memory-backend-ram,id=r1,size=0"),
        Refused("pc.ram is reserved", "object name 'pc.ram' is reserved for the default RAM backend, it can't be used for any other purposes. Change the object's 'id' to something else",
            "-object", "memory-backend-ram,id=pc.ram,size=128M"),
        Refused("pc-dimm size not a multiple of the ram alignment", "-device pc-dimm,memdev=r1: backend memory size must be multiple of 0x200000",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", "memory-backend-ram,id=r1,size=3M", "-device", "pc-dimm,memdev=r1"),
        Refused("acpi=off refuses memory devices", "-device nvdimm,memdev=m1: memory hotplug is not enabled: missing acpi device or acpi disabled",
            "-M", "q35,nvdimm=on,acpi=off", "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1"),
        Refused("object member type error comes at parse time", "-object memory-backend-ram,id=r2,size=x: Parameter 'size' expects a size value",
            "-M", "foo", "-object", "memory-backend-ram,id=r2,size=x"),
        Refused("short-form boolean device property", "-device nvdimm,memdev=m1,unarmed,foo: Property 'nvdimm.foo' not found",
            "-M", Pc, "-m", "512M,slots=2,maxmem=2G", "-object", Keep, "-device", "nvdimm,memdev=m1,unarmed,foo"),
        Refused("fraction without a unit", "-m 1.5: Parameter 'size' expects a non-negative number below 2^64",
            "-m", "1.5"),
        Refused("memory-backend not found", "Memory backend 'zz' not found",
            "-M", "pc,memory-backend=zz"),
        Refused("a bare maxmem number is bytes, unlike the size", "invalid value of maxmem: maximum memory size (0x800) must be at least the initial memory size (0x40000000)",
            "-m", "1024,slots=2,maxmem=2048"),
        Refused("numa distance below 10", "-numa dist,src=0,dst=1,val=5: NUMA distance (5) is invalid, it shouldn't be less than 10.",
            "-object", "memory-backend-ram,id=r1,size=128M", "-numa", "node,memdev=r1", "-numa", "node", "-numa", "dist,src=0,dst=1,val=5"),
    ];

    /// <summary>Accepted configurations: placement, RAM split, relocation, NUMA, backend order.</summary>
    public static readonly IReadOnlyList<DifferentialCase> Valid =
    [
        new("reference s1", "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G", "-object", "memory-backend-file,id=mem1,share=on,mem-path=@DIR@/s1a.img,size=256M", "-device", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K"),
        new("reference s3", "-machine", "q35,nvdimm=on,nvdimm-persistence=cpu", "-m", "512M,slots=3,maxmem=8G", "-object", "memory-backend-file,id=m1,share=on,mem-path=@DIR@/s3a.img,size=512M", "-device", "nvdimm,id=nv1,memdev=m1,label-size=256K", "-object", "memory-backend-file,id=m2,share=on,mem-path=@DIR@/s3b.img,size=128M", "-device", "nvdimm,id=nv2,memdev=m2"),
        new("pc-dimm then nvdimm share the slots", "-M", "pc,nvdimm=on", "-m", "128M,slots=3,maxmem=1G", "-object", "memory-backend-ram,id=ram0,size=128M", "-object", "memory-backend-ram,id=nv0,size=128M", "-device", "pc-dimm,id=dimm0,memdev=ram0", "-device", "nvdimm,id=dimm1,memdev=nv0"),
        new("q35 with 3G: RAM split at 2G", "-M", "q35,nvdimm=on", "-m", "3G,slots=2,maxmem=8G", "-object", "memory-backend-file,id=m1,size=64M,mem-path=@DIR@/a.img", "-device", "nvdimm,memdev=m1"),
        new("pc with 4G: RAM split at 3G", "-M", "pc,nvdimm=on", "-m", "4G,slots=2,maxmem=8G", "-object", "memory-backend-file,id=m1,size=64M,mem-path=@DIR@/a.img", "-device", "nvdimm,memdev=m1"),
        new("pc with max-ram-below-4g", "-M", "pc,nvdimm=on,max-ram-below-4g=2G", "-m", "3G,slots=2,maxmem=8G", "-object", "memory-backend-ram,id=r1,size=64M", "-device", "nvdimm,memdev=r1"),
        new("q35 with max-ram-below-4g", "-M", "q35,nvdimm=on,max-ram-below-4g=1G", "-m", "3G,slots=2,maxmem=8G", "-object", "memory-backend-ram,id=r1,size=64M", "-device", "pc-dimm,memdev=r1"),
        new("AMD relocation to 1 TiB", "-M", "pc,nvdimm=on", "-cpu", "qemu64,phys-bits=48", "-m", "4G,slots=4,maxmem=1T", "-object", "memory-backend-file,id=m1,size=256M,mem-path=@DIR@/a.img", "-device", "nvdimm,memdev=m1,label-size=128K"),
        new("Intel: no relocation", "-M", "q35,nvdimm=on", "-cpu", "kvm64,phys-bits=48", "-m", "4G,slots=4,maxmem=1T", "-object", "memory-backend-file,id=m1,size=256M,mem-path=@DIR@/a.img", "-device", "nvdimm,memdev=m1"),
        new("file align=2M", "-M", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G", "-object", "memory-backend-file,id=m1,size=4M,mem-path=@DIR@/a.img,align=2M", "-device", "nvdimm,memdev=m1,label-size=128K", "-object", "memory-backend-file,id=m2,size=4M,mem-path=@DIR@/b.img", "-device", "nvdimm,memdev=m2,label-size=128K"),
        new("explicit addr and slot", "-M", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G", "-object", "memory-backend-ram,id=r1,size=4M", "-object", "memory-backend-ram,id=r2,size=4M", "-device", "nvdimm,id=a,memdev=r1,addr=0x140000000,slot=3", "-device", "nvdimm,id=b,memdev=r2"),
        new("first fit after an explicit addr", "-M", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G", "-object", "memory-backend-ram,id=r1,size=4M", "-object", "memory-backend-ram,id=r2,size=8M", "-object", "memory-backend-file,id=f3,size=2M,mem-path=@DIR@/c.img", "-device", "pc-dimm,memdev=r1,addr=0x100200000", "-device", "pc-dimm,memdev=r2", "-device", "nvdimm,memdev=f3,label-size=128K"),
        new("NUMA memdev RAM and nodes", "-M", "pc,nvdimm=on", "-m", "512M,slots=2,maxmem=2G", "-object", "memory-backend-ram,id=ram0,size=512M", "-numa", "node,memdev=ram0", "-numa", "node", "-object", "memory-backend-ram,id=r1,size=4M", "-device", "nvdimm,memdev=r1,node=1"),
        new("memory-backend holds RAM", "-M", "pc,nvdimm=on,memory-backend=ram0", "-object", "memory-backend-ram,id=ram0,size=256M", "-m", "256M,slots=2,maxmem=1G", "-object", "memory-backend-ram,id=r1,size=4M", "-device", "nvdimm,memdev=r1"),
        new("comma in mem-path", "-M", "pc,nvdimm=on", "-m", "512M,slots=2,maxmem=2G", "-object", "memory-backend-file,id=m1,size=4M,mem-path=@DIR@/a,,b.img", "-device", "nvdimm,memdev=m1"),
        new("memdev order of many backends", "-object", "memory-backend-ram,id=zeta,size=1M", "-object", "memory-backend-ram,id=alpha,size=1M", "-object", "memory-backend-memfd,id=mem3,size=2M", "-object", "memory-backend-file,id=nv-1,size=1M,mem-path=@DIR@/n.img,share=on", "-object", "memory-backend-ram,id=b.2,size=1M", "-object", "memory-backend-ram,id=Q,size=1M", "-object", "memory-backend-ram,id=m_7,size=1M", "-object", "memory-backend-ram,id=x9,size=1M", "-object", "memory-backend-ram,id=y9,size=1M"),
        new("bare -m number is MiB and existing data survives", ["-M", "pc,nvdimm=on", "-m", "1024,slots=2,maxmem=2G", "-object", "memory-backend-file,id=m1,size=4M,mem-path=@DIR@/keep.img", "-device", "nvdimm,memdev=m1,label-size=128K,unarmed=on"], [(KeepFile, KeepLength)]),
        new("short-form boolean on -device warns but works", "-M", "pc,nvdimm=on", "-m", "512M,slots=2,maxmem=2G", "-object", "memory-backend-ram,id=r1,size=4M", "-device", "nvdimm,memdev=r1,unarmed"),
    ];
}
