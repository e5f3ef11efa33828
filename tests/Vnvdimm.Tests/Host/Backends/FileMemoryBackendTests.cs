using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Tests.Host.Backends;

[SupportedOSPlatform("linux")]
public sealed class FileMemoryBackendTests : IDisposable
{
    private const ulong MiB = 1UL << 20;
    private readonly BackendTestSupport _support = new();

    public void Dispose() => _support.Dispose();

    private static void WriteRandom(string path, int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void Missing_file_is_created_0644_sparse_and_sized()
    {
        string path = _support.PathOf("new.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=64M,mem-path={path}");

        Assert.False(File.Exists(path)); // Create only parses.
        backend.Allocate(1);

        Assert.Equal(64 * (long)MiB, new FileInfo(path).Length);
        // Created 0644, so the umask can only take bits away.
        UnixFileMode mode = File.GetUnixFileMode(path);
        const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Assert.Equal((UnixFileMode)0, mode & ~Mode0644);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode & (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.True(BackendTestSupport.AllocatedBytes(path) < (long)MiB, "the new file must be sparse");
        Assert.Equal(4096UL, backend.Alignment);
        Assert.Empty(_support.Stderr);
    }

    [Fact]
    public void Smaller_existing_file_is_refused_with_qemus_message_and_left_unchanged()
    {
        string path = _support.PathOf("small.img");
        WriteRandom(path, (int)MiB, seed: 1);
        var before = BackendTestSupport.Fingerprint(path);
        DateTime written = File.GetLastWriteTimeUtc(path);

        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=2M,mem-path={path},share=on");
        var error = Assert.Throws<QemuOptionException>(() => backend.Allocate(1));

        Assert.Equal("backing store size 0x100000 does not match 'size' option 0x200000", error.Message);
        Assert.Null(error.Location);
        Assert.Equal(before, BackendTestSupport.Fingerprint(path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.False(backend.IsMapped);
    }

    [Fact]
    public void Larger_existing_file_is_accepted_and_keeps_its_length_and_bytes()
    {
        string path = _support.PathOf("large.img");
        WriteRandom(path, 3 * (int)MiB, seed: 2);
        var before = BackendTestSupport.Fingerprint(path);
        byte[] head = File.ReadAllBytes(path)[..4096];

        using (MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=2M,mem-path={path},share=on"))
        {
            backend.Allocate(1);
            Assert.Equal(head, backend.ReadBytes(0, 4096));
            Assert.Throws<ArgumentOutOfRangeException>(() => backend.Read(2 * MiB, new byte[1]));
        }

        Assert.Equal(before, BackendTestSupport.Fingerprint(path));
    }

    [Fact]
    public void Empty_existing_file_is_sized()
    {
        string path = _support.PathOf("empty.img");
        File.WriteAllBytes(path, []);
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=4M,mem-path={path}");
        backend.Allocate(1);
        Assert.Equal(4 * (long)MiB, new FileInfo(path).Length);
    }

    [Fact]
    public void Size_is_rounded_up_to_a_page_for_a_new_file()
    {
        string path = _support.PathOf("odd.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1000,mem-path={path}");
        backend.Allocate(1);
        Assert.Equal(4096, new FileInfo(path).Length);
        Assert.Equal(1000UL, backend.Size);
    }

    [Fact]
    public void Share_off_writes_never_reach_the_file()
    {
        string path = _support.PathOf("private.img");
        WriteRandom(path, 2 * (int)MiB, seed: 3);
        var before = BackendTestSupport.Fingerprint(path);

        using (MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=2M,mem-path={path}"))
        {
            backend.Allocate(1);
            backend.Fill(0, 4096, 0xAA);
            backend.Fill(MiB, 8, 0x55);
            backend.Flush(0, 2 * MiB);
            Assert.Equal(0xAA, backend.ReadBytes(0, 1)[0]);
        }

        Assert.Equal(before, BackendTestSupport.Fingerprint(path));
    }

    [Fact]
    public void Share_on_writes_reach_the_file()
    {
        string path = _support.PathOf("shared.img");
        using (MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=2M,mem-path={path},share=on"))
        {
            backend.Allocate(1);
            backend.Fill(4096, 4, 0xAB);
            backend.Write(2 * MiB - 1, [0xCD]);
            backend.Flush(4096, 4);
        }

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(2 * (int)MiB, bytes.Length);
        Assert.Equal(new byte[] { 0xAB, 0xAB, 0xAB, 0xAB }, bytes[4096..4100]);
        Assert.Equal(0xCD, bytes[^1]);
        Assert.Equal(0, bytes[0]);
    }

    [Fact]
    public void Pmem_on_share_on_non_dax_file_maps_and_warns_like_qemu()
    {
        // The temporary directory is on a non-DAX file system (ext4/tmpfs): MAP_SYNC fails with EOPNOTSUPP.
        string path = _support.PathOf("pmem.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=2M,mem-path={path},share=on,pmem=on");
        backend.Allocate(1);

        Assert.True(backend.IsMapped);
        Assert.True(backend.IsPmem);
        Assert.False(backend.IsMapSync);
        Assert.Equal(
            [
                $"Warning: requesting persistence across crashes for backend file {path} failed. Proceeding without persistence, data might become corrupted in case of host crash.",
                "qemu-system-x86_64: warning: Using non DAX backing file with 'pmem=on' option is deprecated",
            ],
            _support.Stderr);
        backend.Write(0, [7]);
        backend.Flush(0, 1);
        Assert.Equal(7, File.ReadAllBytes(path)[0]);
    }

    [Fact]
    public void Pmem_on_share_off_never_asks_for_map_sync()
    {
        string path = _support.PathOf("pmem-private.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=2M,mem-path={path},pmem=on");
        backend.Allocate(1);
        Assert.Empty(_support.Stderr);
        Assert.False(backend.IsMapSync);
    }

    [Fact]
    public void Directory_mem_path_uses_an_unlinked_temporary_file()
    {
        string directory = _support.PathOf("dir");
        Directory.CreateDirectory(directory);
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=2M,mem-path={directory},share=on,pmem=on");
        backend.Allocate(1);

        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
        string maps = BackendTestSupport.MapsLine(backend.Region!.Address);
        Assert.Matches($@"{Regex.Escape(directory)}/qemu_back_mem\.m\.[A-Za-z0-9]{{6}} \(deleted\)$", maps);
        // QEMU names the file through /proc/self/fd, so the warning shows "(deleted)" too.
        Assert.Matches(@"^Warning: requesting persistence across crashes for backend file .*/qemu_back_mem\.m\.[A-Za-z0-9]{6} \(deleted\) failed\.", _support.Stderr[0]);
        backend.Write(1, [9]);
        Assert.Equal(9, backend.ReadBytes(1, 1)[0]);
    }

    [Fact]
    public void Canonical_region_name_has_its_slashes_replaced_in_the_temporary_name()
    {
        string directory = _support.PathOf("dir2");
        Directory.CreateDirectory(directory);
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1M,mem-path={directory},share=on,x-use-canonical-path-for-ramblock-id=on");
        backend.Allocate(1);
        Assert.Equal("/objects/m", backend.RegionName);
        Assert.Contains($"{directory}/qemu_back_mem._objects_m.", BackendTestSupport.MapsLine(backend.Region!.Address));
    }

    [Fact]
    public void Readonly_on_missing_file_creates_it_as_qemu_7_2_does()
    {
        // QEMU 7.2 opens O_RDONLY, gets ENOENT and then creates the file read-write (0644).
        string path = _support.PathOf("ro-new.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1M,mem-path={path},readonly=on");
        backend.Allocate(1);

        Assert.Equal((long)MiB, new FileInfo(path).Length);
        Assert.True(backend.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => backend.Write(0, [1]));
    }

    [Fact]
    public void Readonly_on_maps_read_only()
    {
        string path = _support.PathOf("ro.img");
        WriteRandom(path, (int)MiB, seed: 4);
        byte[] expected = File.ReadAllBytes(path)[..16];
        var before = BackendTestSupport.Fingerprint(path);

        using (MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1M,mem-path={path},readonly=on,share=on"))
        {
            backend.Allocate(1);
            Assert.Equal(expected, backend.ReadBytes(0, 16));
            Assert.Throws<InvalidOperationException>(() => backend.Write(0, new byte[16]));
            Assert.Matches(@"^[0-9a-f]+-[0-9a-f]+ r--s ", BackendTestSupport.MapsLine(backend.Region!.Address));
        }

        Assert.Equal(before, BackendTestSupport.Fingerprint(path));
    }

    [Fact]
    public void Readonly_on_empty_file_reports_ftruncate_like_qemu_then_refuses_the_unbacked_mapping()
    {
        string path = _support.PathOf("ro-empty.img");
        File.WriteAllBytes(path, []);
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1M,mem-path={path},readonly=on");
        // QEMU 7.2 prints the ftruncate line and maps 1M of an empty file: the guest's first access
        // is a SIGBUS. vnvdimm refuses it instead, in QEMU's words for a too-small backing store.
        var error = Assert.Throws<QemuOptionException>(() => backend.Allocate(1));
        Assert.Equal("backing store size 0x0 does not match 'size' option 0x100000", error.Message);
        Assert.Equal(["ftruncate: Invalid argument"], _support.Stderr);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void Missing_directory_is_reported_with_strerror()
    {
        string path = _support.PathOf("nodir/x");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1M,mem-path={path}");
        var error = Assert.Throws<QemuOptionException>(() => backend.Allocate(1));
        Assert.Equal($"can't open backing store {path} for guest RAM: No such file or directory", error.Message);
        Assert.Null(error.Location);
    }

    [Fact]
    public void Empty_mem_path_is_reported_with_two_spaces_like_qemu()
    {
        using MemoryBackend backend = _support.Create("memory-backend-file,id=m,size=1M,mem-path=,share=on");
        var error = Assert.Throws<QemuOptionException>(() => backend.Allocate(1));
        Assert.Equal("can't open backing store  for guest RAM: No such file or directory", error.Message);
    }

    [Theory]
    [InlineData("align=3", "alignment 0x3 must be multiples of page size 0x1000")]
    [InlineData("align=2K", "alignment 0x800 must be multiples of page size 0x1000")]
    [InlineData("align=3M", "alignment 0x300000 must be a power of two")]
    public void Bad_align_is_refused_and_a_created_file_removed(string align, string message)
    {
        string path = _support.PathOf("align.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=4M,mem-path={path},{align}");
        var error = Assert.Throws<QemuOptionException>(() => backend.Allocate(1));
        Assert.Equal(message, error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Align_sets_the_alignment_and_the_host_address()
    {
        string path = _support.PathOf("aligned.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=4M,mem-path={path},align=2M");
        backend.Allocate(1);
        Assert.Equal(2 * MiB, backend.Alignment);
        Assert.Equal(0UL, (ulong)backend.Region!.Address % (2 * MiB));
    }

    [Fact]
    public void Discard_data_punches_out_the_contents_on_dispose()
    {
        string path = _support.PathOf("discard.img");
        using (MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=4M,mem-path={path},share=on,discard-data=on"))
        {
            backend.Allocate(1);
            backend.Fill(0, (int)(4 * MiB), 0x5A);
            backend.Flush(0, 4 * MiB);
            Assert.True(BackendTestSupport.AllocatedBytes(path) >= 4 * (long)MiB);
        }

        Assert.Equal(4 * (long)MiB, new FileInfo(path).Length);
        Assert.True(BackendTestSupport.AllocatedBytes(path) < (long)MiB);
        Assert.All(File.ReadAllBytes(path), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Host_nodes_with_default_policy_fail_after_the_file_is_created_and_remove_it()
    {
        // QEMU checks policy only after mapping, and exits leaving the new file in place;
        // vnvdimm leaves nothing behind for a refused configuration.
        string path = _support.PathOf("nodes.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1M,mem-path={path},host-nodes=0");
        var error = Assert.Throws<QemuOptionException>(() => backend.Allocate(1));
        Assert.Equal("host-nodes must be empty for policy default, or you should explicitly specify a policy other than default", error.Message);
        Assert.False(File.Exists(path));
        Assert.False(backend.IsMapped);
    }

    [Fact]
    public void Allocate_is_idempotent_and_dispose_unmaps()
    {
        string path = _support.PathOf("idem.img");
        MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1M,mem-path={path},share=on");
        backend.Allocate(1);
        nint address = backend.Region!.Address;
        backend.Allocate(4);
        Assert.Equal(address, backend.Region!.Address);

        backend.Dispose();
        Assert.False(backend.IsMapped);
        Assert.DoesNotContain(File.ReadLines("/proc/self/maps"), l => l.StartsWith(((ulong)address).ToString("x") + "-", StringComparison.Ordinal));
        Assert.Throws<ObjectDisposedException>(() => backend.Write(0, [1]));
        Assert.Throws<ObjectDisposedException>(() => backend.Allocate(1));
    }

    [Fact]
    public void Flush_checks_its_range()
    {
        string path = _support.PathOf("flush.img");
        using MemoryBackend backend = _support.Create($"memory-backend-file,id=m,size=1M,mem-path={path},share=on");
        Assert.Throws<InvalidOperationException>(() => backend.Flush(0, 1));
        backend.Allocate(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.Flush(MiB, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.Flush(1, ulong.MaxValue));
        backend.Flush(MiB - 1, 1);
        Assert.Empty(_support.Stderr);
    }
}
