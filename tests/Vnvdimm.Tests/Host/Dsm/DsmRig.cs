using Vnvdimm.Formats.Dsm;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Dsm;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Bus;
using Vnvdimm.Platform.Memory;
using Vnvdimm.Tests.Host.Backends;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>
/// A pc machine with nvdimm=on, 32 MiB RAM and four NVDIMMs, plus a mailbox of our own over the
/// same memory and devices whose FIT the test controls (the machine's own mailbox serves an
/// empty FIT until the NFIT builder is connected):
/// slot 0 "nv0": file, share=on, label 128 KiB;  slot 1 "nv1": ram, label 256 KiB;
/// slot 2 "nv2": ram, no label;  slot 3 "nv3": file, readonly=on (unarmed), label 128 KiB.
/// Slots 4–7 are empty (handles 5–8) for hotplug.
/// </summary>
internal sealed class DsmRig : IDisposable
{
    public const ulong RamSize = 32 << 20;
    /// <summary>The DSM page the tests use (SeaBIOS puts it near the top of low RAM).</summary>
    public static readonly GuestAddress Page = new(RamSize - 0x2000);
    public const uint LabelSize0 = 0x2_0000;
    public const uint LabelSize1 = 0x4_0000;
    public const ulong BackendSize = 4 << 20;
    public const ushort Port = NvdimmDsmMailbox.IoBase;

    private readonly List<string> _stderr = [];

    public DsmRig(string? extraObject0 = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("vnvdimm-dsm-").FullName;
        // nv3's file exists beforehand: readonly=on never creates one with content.
        byte[] rom = new byte[BackendSize];
        new Random(3).NextBytes(rom);
        File.WriteAllBytes(PathOf("nv3.img"), rom);
        string[] args =
        [
            "-machine", "pc,nvdimm=on",
            "-m", $"{RamSize >> 20}M,slots=8,maxmem=8G",
            "-object", $"memory-backend-file,id=m0,share=on,mem-path={PathOf("nv0.img")},size=4M{extraObject0}",
            "-object", "memory-backend-ram,id=m1,size=4M",
            "-object", "memory-backend-ram,id=m2,size=4M",
            "-object", $"memory-backend-file,id=m3,share=on,readonly=on,mem-path={PathOf("nv3.img")},size=4M",
            "-device", "nvdimm,id=nv0,memdev=m0,label-size=128K,slot=0",
            "-device", "nvdimm,id=nv1,memdev=m1,label-size=256K,slot=1",
            "-device", "nvdimm,id=nv2,memdev=m2,slot=2",
            "-device", "nvdimm,id=nv3,memdev=m3,label-size=128K,slot=3,unarmed=on",
        ];
        Machine = VirtualMachine.Create(args, StderrSink.Collect(_stderr));
        Fit = new TestFitSource(Pattern(10_000, seed: 77));
        Mailbox = new NvdimmDsmMailbox(Machine.AddressSpace, () => Machine.Nvdimms, Fit);
        Machine.NvdimmPlugged += _ => Mailbox.MarkFitDirty();
        // As after a boot: the cold plugs left the FIT dirty.
        Mailbox.MarkFitDirty();
        Bus = new PlatformBus(Machine.AddressSpace);
        Bus.RegisterPortIo(NvdimmDsmMailbox.IoBase, NvdimmDsmMailbox.IoLength, Mailbox);
    }

    public string Directory { get; }

    public VirtualMachine Machine { get; }

    public TestFitSource Fit { get; }

    public NvdimmDsmMailbox Mailbox { get; }

    public PlatformBus Bus { get; }

    public IGuestMemory Memory => Machine.AddressSpace;

    public IReadOnlyList<string> Stderr => _stderr;

    public string PathOf(string name) => Path.Combine(Directory, name);

    public NvdimmDevice Dimm(int slot) => Machine.Nvdimms.Single(d => d.Slot == slot);

    /// <summary>The live label area of the NVDIMM in <paramref name="slot"/> (its backend mapping).</summary>
    public ReadOnlySpan<byte> Label(int slot)
    {
        NvdimmDevice dimm = Dimm(slot);
        return dimm.Backend!.ReadBytes(dimm.LabelAreaOffset, (int)dimm.LabelSize);
    }

    public void FillLabel(int slot, int seed)
    {
        NvdimmDevice dimm = Dimm(slot);
        dimm.Backend!.Write(dimm.LabelAreaOffset, Pattern((int)dimm.LabelSize, seed));
    }

    /// <summary>Writes a request into the page, traps through port 0x0A18 and returns the page as left.</summary>
    public byte[] Call(uint handle, uint function, ReadOnlySpan<byte> arguments = default, uint revision = 1, GuestAddress? page = null)
    {
        GuestAddress at = page ?? Page;
        byte[] bytes = new byte[DsmPage.Size];
        DsmRequest.Write(bytes, handle, revision, function, arguments);
        Memory.WriteAll(at, bytes);
        Bus.WritePort(Port, 4, (uint)at.Value);
        Memory.ReadExactly(at, bytes);
        return bytes;
    }

    /// <summary><see cref="Call"/>, returning the status (or mask) and payload of a well-formed reply.</summary>
    public (uint Status, byte[] Payload) CallReply(uint handle, uint function, ReadOnlySpan<byte> arguments = default, uint revision = 1)
    {
        byte[] page = Call(handle, function, arguments, revision);
        Assert.True(DsmReply.TryRead(page, out DsmReply reply), "malformed reply");
        return (reply.Status, reply.Payload.ToArray());
    }

    public static byte[] LabelArgs(uint offset, uint length, ReadOnlySpan<byte> data = default)
    {
        byte[] args = new byte[LabelDataArguments.Size + data.Length];
        new LabelDataArguments(offset, length).WriteTo(args);
        data.CopyTo(args.AsSpan(LabelDataArguments.DataOffset));
        return args;
    }

    public static byte[] FitArgs(uint offset)
    {
        byte[] args = new byte[ReadFitArguments.Size];
        new ReadFitArguments(offset).WriteTo(args);
        return args;
    }

    public static byte[] Pattern(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Hot-plugs "nvdimm,id=…,memdev=…" on a new 4 MiB RAM backend, as object_add + device_add do.</summary>
    public NvdimmDevice HotPlug(string id, string labelSize = "128K")
    {
        Machine.AddObject("object_add", QemuOpts.Parse($"memory-backend-ram,id=mem-{id},size=4M", "qom-type"));
        MemoryDevice device = MemoryDeviceFactory.Create(
            QemuOpts.Parse($"nvdimm,id={id},memdev=mem-{id},label-size={labelSize}", "driver"),
            Machine.FindBackend,
            name => Machine.MemoryDevices.Any(d => d.Id == name));
        Machine.PlugMemoryDevice(device, hotplug: true);
        return (NvdimmDevice)device;
    }

    public void Dispose()
    {
        Machine.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
