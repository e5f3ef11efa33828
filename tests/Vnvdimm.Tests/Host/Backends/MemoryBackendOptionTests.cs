using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Tests.Host.Backends;

/// <summary>
/// Each case is an -object argument and what Debian's qemu-system-x86_64 7.2 prints for it after
/// "qemu-system-x86_64: " ("@" stands for "-object &lt;argument&gt;", which QEMU prints only for
/// parse errors). The backend is driven as vnvdimm's command line will: Create (errors get the
/// location), then Allocate (errors printed bare).
/// </summary>
public sealed class MemoryBackendOptionTests
{
    private static string Run(string objectText)
    {
        QemuOpts opts = QemuOpts.Parse(objectText, "qom-type");
        MemoryBackend backend;
        try
        {
            backend = MemoryBackend.Create(opts.Get("qom-type") ?? string.Empty, opts, StderrSink.Collect(new List<string>()));
        }
        catch (QemuOptionException e)
        {
            Assert.Null(e.Location);
            return e.WithLocation($"-object {objectText}").Formatted;
        }
        using (backend)
        {
            try
            {
                backend.Allocate(1);
            }
            catch (QemuOptionException e)
            {
                Assert.Null(e.Location);
                return e.Formatted;
            }
        }
        return string.Empty;
    }

    [Theory]
    // Parse errors, in QEMU's visiting order.
    [InlineData("memory-backend-file,id=m,size=1M,mem-path=/nonexistent/x,bogus=1", "@: Invalid parameter 'bogus'")]
    [InlineData("memory-backend-file,id=m,size=1M,mem-path=/nonexistent/x,share=maybe", "@: Parameter 'share' expects 'on' or 'off'")]
    [InlineData("memory-backend-file,id=m,size=1M", "@: Parameter 'mem-path' is missing")]
    [InlineData("memory-backend-file,id=m,bogus=1", "@: Parameter 'size' is missing")]
    [InlineData("memory-backend-file,id=m,size=abc,mem-path=/nonexistent/x", "@: Parameter 'size' expects a size value")]
    [InlineData("memory-backend-ram,id=m,size=16E", "@: Parameter 'size' expects a size value")]
    [InlineData("memory-backend-ram,id=m,size=1M,prealloc-threads=abc", "@: Parameter 'prealloc-threads' expects a uint64 value")]
    [InlineData("memory-backend-ram,id=m,size=1M,prealloc-threads=-1", "@: Parameter 'prealloc-threads' expects a uint64 value")]
    [InlineData("memory-backend-ram,id=m,size=1M,prealloc-threads=", "@: Parameter 'prealloc-threads' expects a uint64 value")]
    [InlineData("memory-backend-ram,id=m,size=1M,prealloc-threads=5000000000", "@: Parameter 'prealloc-threads' expects uint32_t")]
    [InlineData("memory-backend-file,id=m,size=1M,mem-path=/nonexistent/x,policy=foo", "@: Parameter 'policy' does not accept value 'foo'")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind,host-nodes=-1", "@: Parameter 'host-nodes' expects a uint64 value or range")]
    [InlineData("memory-backend-ram,id=m,size=1M,host-nodes=3-1", "@: Parameter 'host-nodes' expects a uint64 value or range")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind,host-nodes=0-70000", "@: Parameter 'host-nodes' expects a uint64 value or range")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind,host-nodes=", "@: Parameter 'host-nodes' expects a uint64 value or range")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind,host-nodes=0:3", "@: Parameter 'host-nodes' expects a uint64 value or range")]
    [InlineData("memory-backend-ram,id=m,size=1M,host-nodes=70000", "@: Parameter 'null' expects uint16_t")]
    [InlineData("memory-backend-file,id=m,size=1M,mem-path=/nonexistent/x,offset=4096", "@: Invalid parameter 'offset'")]
    [InlineData("memory-backend-bogus,id=m,size=1M", "@: Parameter 'qom-type' does not accept value 'memory-backend-bogus'")]
    [InlineData("memory-backend-file,size=1M,mem-path=/nonexistent/x", "@: Parameter 'id' is missing")]
    [InlineData("memory-backend-file,bogus=1,size=1M,mem-path=/nonexistent/x", "@: Parameter 'id' is missing")]
    [InlineData("memory-backend-ram,id=9m,size=1M", "@: Parameter 'id' expects an identifier\nIdentifiers consist of letters, digits, '-', '.', '_', starting with a letter.")]
    [InlineData("memory-backend-bogus,id=9m,size=1M", "@: Parameter 'id' expects an identifier\nIdentifiers consist of letters, digits, '-', '.', '_', starting with a letter.")]
    [InlineData("memory-backend-ram,id=m,size=1M,mem-path=x", "@: Invalid parameter 'mem-path'")]
    [InlineData("memory-backend-ram,id=m,size=1M,share=on,pmem=on", "@: Invalid parameter 'pmem'")]
    [InlineData("memory-backend-memfd,id=m,size=1M,readonly=on", "@: Invalid parameter 'readonly'")]
    [InlineData("memory-backend-memfd,id=m,size=1M,seal=x", "@: Parameter 'seal' expects 'on' or 'off'")]
    [InlineData("memory-backend-file,id=m,readonly=x,share=y,size=z,merge=w", "@: Parameter 'merge' expects 'on' or 'off'")]
    [InlineData("memory-backend-file,id=m,prealloc-threads=x,policy=y,dump=z,size=1M,mem-path=/nonexistent/x", "@: Parameter 'dump' expects 'on' or 'off'")]
    [InlineData("memory-backend-file,id=m,host-nodes=x,merge=w,size=1M,mem-path=/nonexistent/x", "@: Parameter 'host-nodes' expects a uint64 value or range")]
    // Several unknown options: QEMU names the first in GLib hash-table order.
    [InlineData("memory-backend-ram,id=m,size=1M,bogus=1,zzz=2", "@: Invalid parameter 'zzz'")]
    [InlineData("memory-backend-ram,id=m,size=1M,zzz=2,bogus=1", "@: Invalid parameter 'zzz'")]
    [InlineData("memory-backend-ram,id=m,size=1M,abc-def=1,merge=on,q3=1,m2=1,q2=1,lorem=1", "@: Invalid parameter 'q3'")]
    [InlineData("memory-backend-ram,id=m,size=1M,merge=on,rom=1,policy=default,share=off,dump=on,prealloc=off,lorem=1", "@: Invalid parameter 'lorem'")]
    [InlineData("memory-backend-ram,id=m,size=1M,yy=1,q1=1,foo=1,m1=1,merge=on,prealloc=off,bogus=1,ipsum=1,kk=1", "@: Invalid parameter 'foo'")]
    [InlineData("memory-backend-ram,id=m,size=1M,reserve=on,seal=1,kk=1,rom=1,ipsum=1,merge=on", "@: Invalid parameter 'rom'")]
    [InlineData("memory-backend-ram,id=m,size=1M,zzz=1,share=off,seal=1,reserve=on,m2=1,kk=1,policy=default,align=1,prealloc=off,dump=on", "@: Invalid parameter 'm2'")]
    [InlineData("memory-backend-ram,id=m,size=1M,mem-path=1,bogus=1,aaa=1,m2=1,policy=default", "@: Invalid parameter 'aaa'")]
    [InlineData("memory-backend-ram,id=m,size=1M,merge=on,align=1,foo=1", "@: Invalid parameter 'align'")]
    [InlineData("memory-backend-ram,id=m,size=1M,m2=1,yy=1,rom=1,merge=on,aaa=1,reserve=on,kk=1,dump=on,prealloc=off,seal=1,share=off", "@: Invalid parameter 'aaa'")]
    // Property setters: no location, QEMU's property order decides between several.
    [InlineData("memory-backend-ram,id=m,size=0", "property 'size' of memory-backend-ram doesn't take value '0'")]
    [InlineData("memory-backend-file,id=m,size=0,mem-path=/nonexistent/x", "property 'size' of memory-backend-file doesn't take value '0'")]
    [InlineData("memory-backend-file,id=m,size=1M,mem-path=/nonexistent/x,prealloc-threads=0", "property 'prealloc-threads' of memory-backend-file doesn't take value '0'")]
    [InlineData("memory-backend-file,id=m,size=0,prealloc-threads=0,mem-path=/nonexistent/x", "property 'prealloc-threads' of memory-backend-file doesn't take value '0'")]
    [InlineData("memory-backend-file,id=m,size=1M,mem-path=/nonexistent/x,prealloc=on,reserve=off", "'prealloc=on' and 'reserve=off' are incompatible")]
    [InlineData("memory-backend-file,id=m,size=0,prealloc=on,reserve=off,mem-path=/nonexistent/x,host-nodes=300", "'prealloc=on' and 'reserve=off' are incompatible")]
    [InlineData("memory-backend-ram,id=m,size=1M,prealloc=on,reserve=off,size=0", "'prealloc=on' and 'reserve=off' are incompatible")]
    [InlineData("memory-backend-memfd,id=m,size=0,hugetlbsize=0,host-nodes=300", "Property 'memory-backend-memfd.hugetlbsize' doesn't take value '0'")]
    [InlineData("memory-backend-memfd,id=m,size=0,prealloc-threads=0,host-nodes=300", "Invalid host-nodes value: 300")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind,host-nodes=0,host-nodes=300", "Invalid host-nodes value: 300")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind,host-nodes=0-300", "Invalid host-nodes value: 128")]
    [InlineData("memory-backend-ram,id=m,size=1M,prealloc-context=foo,size=0", "Device 'foo' not found")]
    // Completion: after the memory is mapped, also without location.
    [InlineData("memory-backend-ram,id=m,size=1M,host-nodes=0", "host-nodes must be empty for policy default, or you should explicitly specify a policy other than default")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind", "host-nodes must be set for policy bind")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=interleave", "host-nodes must be set for policy interleave")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind,host-nodes=127", "cannot bind memory to host NUMA nodes: Invalid argument")]
    [InlineData("memory-backend-memfd,id=m,size=1M,hugetlbsize=3M", "Hugepage size must be a power of 2")]
    [InlineData("memory-backend-memfd,id=m,size=2M,hugetlb=on,hugetlbsize=4K", "failed to create memfd with flags 0x30000007: No such device")]
    [InlineData("memory-backend-memfd,id=m,size=1000", "backing store size 0x3e8 does not match 'size' option 0x1000")]
    [InlineData("memory-backend-ram,id=m,size=1P", "cannot set up guest memory 'm': Cannot allocate memory")]
    [InlineData("memory-backend-memfd,id=m,size=1P", "unable to map backing store for guest RAM: Cannot allocate memory")]
    // Accepted.
    [InlineData("memory-backend-ram,id=m,size=1M,share=on,prealloc=on,dump=off,merge=off", "")]
    [InlineData("memory-backend-ram,id=m,size=1M,policy=bind,host-nodes=0", "")]
    [InlineData("memory-backend-ram,id=m,size=1M,prealloc-threads=0x10,prealloc-threads=010,share=on,share=off", "")]
    [InlineData("memory-backend-memfd,id=m,size=1M,hugetlbsize=2M", "")]
    [InlineData("memory-backend-memfd,id=m,size=1M,share=off,seal=off", "")]
    public void Reports_what_qemu_7_2_reports(string objectText, string expected)
    {
        Assert.Equal(expected.Replace("@", $"-object {objectText}", StringComparison.Ordinal), Run(objectText));
    }

    [Fact]
    public void Create_reads_every_property()
    {
        QemuOpts opts = QemuOpts.Parse(
            "memory-backend-file,id=nv1,size=0x10000000,mem-path=/nonexistent/x,share=on,merge=off,dump=off,prealloc=on,prealloc-threads=3,policy=bind,host-nodes=1-2,host-nodes=0,align=2M,discard-data=on,pmem=on,readonly=on",
            "qom-type");
        var backend = Assert.IsType<FileMemoryBackend>(MemoryBackend.Create("memory-backend-file", opts));

        Assert.Equal(("nv1", "memory-backend-file", 0x10000000UL), (backend.Id, backend.TypeName, backend.Size));
        Assert.Equal((true, false, false, true, true), (backend.Share, backend.Merge, backend.Dump, backend.Prealloc, backend.Reserve));
        Assert.Equal(3u, backend.PreallocThreads);
        Assert.Equal("bind", backend.Policy);
        Assert.Equal(new ushort[] { 0, 1, 2 }, backend.HostNodes);
        Assert.Equal(("/nonexistent/x", 2UL << 20, true, true, true), (backend.MemPath, backend.Align, backend.DiscardData, backend.Pmem, backend.ReadOnly));
        Assert.True(backend.IsReadOnly && backend.IsPmem && !backend.IsMapped && !backend.InUse);
        Assert.Throws<InvalidOperationException>(() => backend.Alignment);
    }

    [Fact]
    public void Short_form_booleans_work_because_7_2_parses_object_with_QemuOpts()
    {
        var warnings = new List<string>();
        QemuOpts opts = QemuOpts.Parse("memory-backend-ram,id=m,size=1M,share,noprealloc", "qom-type", QemuOpts.ParseMode.QemuOpts, warnings.Add);
        MemoryBackend backend = MemoryBackend.Create("memory-backend-ram", opts);
        Assert.Equal((true, false), (backend.Share, backend.Prealloc));
        Assert.Equal(2, warnings.Count);
    }

    [Fact]
    public void Defaults_match_qemu()
    {
        QemuOpts fileOpts = QemuOpts.Parse("memory-backend-file,id=f,size=1M,mem-path=/nonexistent/x", "qom-type");
        MemoryBackend file = MemoryBackend.Create("memory-backend-file", fileOpts);
        QemuOpts memfdOpts = QemuOpts.Parse("memory-backend-memfd,id=d,size=1M", "qom-type");
        var memfd = Assert.IsType<MemfdBackend>(MemoryBackend.Create("memory-backend-memfd", memfdOpts));

        Assert.Equal((false, true, true, false, true, "default"), (file.Share, file.Merge, file.Dump, file.Prealloc, file.Reserve, file.Policy));
        Assert.Null(file.PreallocThreads);
        Assert.Empty(file.HostNodes);
        Assert.Equal((true, true, false, 0UL), (memfd.Share, memfd.Seal, memfd.Hugetlb, memfd.HugetlbSize));
    }
}
