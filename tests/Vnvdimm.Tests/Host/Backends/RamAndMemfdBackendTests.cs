using System.Text.RegularExpressions;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Tests.Host.Backends;

public sealed class RamAndMemfdBackendTests : IDisposable
{
    private const ulong MiB = 1UL << 20;
    private readonly BackendTestSupport _support = new();

    public void Dispose() => _support.Dispose();

    [Fact]
    public void Ram_backend_allocates_private_anonymous_memory_2_MiB_aligned()
    {
        using MemoryBackend backend = _support.Create("memory-backend-ram,id=r,size=4M");
        backend.Allocate(1);

        Assert.Equal(RamBackend.AnonymousAlignment, backend.Alignment);
        Assert.Equal(0UL, (ulong)backend.Region!.Address % (2 * MiB));
        Assert.Matches(@"^[0-9a-f]+-[0-9a-f]+ rw-p 00000000 00:00 0 ", BackendTestSupport.MapsLine(backend.Region.Address));
        Assert.Equal(0, backend.ReadBytes(3 * MiB, 1)[0]);
        backend.Write(3 * MiB + 1, [0x42]);
        Assert.Equal(0x42, backend.ReadBytes(3 * MiB + 1, 1)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.Write(4 * MiB - 1, new byte[2]));
    }

    [Fact]
    public void Ram_backend_share_on_maps_shared()
    {
        using MemoryBackend backend = _support.Create("memory-backend-ram,id=r,size=2M,share=on");
        backend.Allocate(1);
        Assert.Matches(@"^[0-9a-f]+-[0-9a-f]+ rw-s ", BackendTestSupport.MapsLine(backend.Region!.Address));
    }

    [Fact]
    public void Main_ram_is_pc_ram_memory_backend_ram()
    {
        using RamBackend ram = RamBackend.CreateMainRam(128 * MiB);
        Assert.Equal(("pc.ram", "pc.ram", "memory-backend-ram", 128 * MiB), (ram.Id, ram.RegionName, ram.TypeName, ram.Size));
        Assert.Equal((false, true, true, false, true, "default"), (ram.Share, ram.Merge, ram.Dump, ram.Prealloc, ram.Reserve, ram.Policy));
        ram.Allocate(1);
        ram.Write(127 * MiB, [1]);
        Assert.Equal(1, ram.ReadBytes(127 * MiB, 1)[0]);
        // One touched byte faults in one page, or one 2 MiB page with transparent huge pages
        // (QEMU asks for MADV_HUGEPAGE); the rest stays untouched.
        Assert.InRange(ram.Region!.CountResidentPages(), 1UL, 512UL);
    }

    [Fact]
    public void Memfd_backend_is_shared_sealed_and_page_aligned()
    {
        using MemoryBackend backend = _support.Create("memory-backend-memfd,id=d,size=2M");
        backend.Allocate(1);

        Assert.True(backend.Share);
        Assert.Equal(4096UL, backend.Alignment);
        Assert.Equal(Libc.F_SEAL_GROW | Libc.F_SEAL_SHRINK | Libc.F_SEAL_SEAL, Libc.fcntl(backend.Fd!, Libc.F_GET_SEALS, 0));
        Assert.Matches(@" rw-s .*/memfd:memory-backend-memfd \(deleted\)$", BackendTestSupport.MapsLine(backend.Region!.Address));
        backend.Fill(MiB, 4, 0x77);
        Assert.Equal(new byte[] { 0, 0x77, 0x77, 0x77, 0x77, 0 }, backend.ReadBytes(MiB - 1, 6));
        Assert.Equal((long)(2 * MiB), Libc.lseek(backend.Fd!, 0, Libc.SEEK_END));
    }

    [Fact]
    public void Memfd_backend_seal_off_share_off_maps_private_without_seals()
    {
        using MemoryBackend backend = _support.Create("memory-backend-memfd,id=d,size=1M,seal=off,share=off");
        backend.Allocate(1);
        // Without MFD_ALLOW_SEALING the kernel reports only F_SEAL_SEAL: no grow/shrink seals.
        Assert.Equal(Libc.F_SEAL_SEAL, Libc.fcntl(backend.Fd!, Libc.F_GET_SEALS, 0));
        Assert.Matches(@" rw-p ", BackendTestSupport.MapsLine(backend.Region!.Address));
        backend.Write(0, [3]);
        Assert.Equal(3, backend.ReadBytes(0, 1)[0]);
    }

    [Fact]
    public void Merge_off_and_dump_off_are_applied_to_the_mapping()
    {
        using MemoryBackend backend = _support.Create("memory-backend-ram,id=r,size=2M,merge=off,dump=off");
        backend.Allocate(1);
        string start = ((ulong)backend.Region!.Address).ToString("x");
        string flags = SmapsFlags(start);
        Assert.Contains(" dd", flags); // VM_DONTDUMP
        Assert.DoesNotContain(" mg", flags); // not VM_MERGEABLE
    }

    [Fact]
    public void Merge_on_marks_the_mapping_mergeable()
    {
        using MemoryBackend backend = _support.Create("memory-backend-ram,id=r,size=2M");
        backend.Allocate(1);
        string flags = SmapsFlags(((ulong)backend.Region!.Address).ToString("x"));
        Assert.Contains(" mg", flags);
        Assert.DoesNotContain(" dd", flags);
    }

    private static string SmapsFlags(string start)
    {
        bool inMapping = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (Regex.IsMatch(line, "^[0-9a-f]+-[0-9a-f]+ "))
            {
                inMapping = line.StartsWith(start + "-", StringComparison.Ordinal);
            }
            if (inMapping && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line + " ";
            }
        }
        throw new InvalidOperationException($"no smaps entry at {start}");
    }
}
