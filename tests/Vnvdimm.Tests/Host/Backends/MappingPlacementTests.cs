using Vnvdimm.Host.Backends;

namespace Vnvdimm.Tests.Host.Backends;

/// <summary>
/// Host mappings of 2 MiB or more start on a 2 MiB boundary, so the page cache's large folios map
/// whole (on ext4 a misplaced mapping made prealloc 15 times slower; docs/benchmarks.md). The
/// memory region's alignment, which the guest sees, is unchanged.
/// </summary>
public sealed class MappingPlacementTests : IDisposable
{
    private const ulong TwoMiB = 2UL << 20;
    private readonly BackendTestSupport _support = new();

    public void Dispose() => _support.Dispose();

    [Theory]
    [InlineData("memory-backend-file,id=f,size=4M,share=on,mem-path=@")]
    [InlineData("memory-backend-file,id=f,size=2M,mem-path=@")]
    [InlineData("memory-backend-file,id=f,size=10M,share=on,mem-path=@")]
    [InlineData("memory-backend-memfd,id=f,size=6M")]
    public void Mappings_of_2_MiB_or_more_start_on_a_2_MiB_boundary(string objectText)
    {
        // Several at once, so one lucky address proves nothing.
        var backends = Enumerable.Range(0, 4)
            .Select(i => _support.Create(objectText.Replace("@", _support.PathOf($"b{i}.img"), StringComparison.Ordinal)))
            .ToList();
        try
        {
            foreach (MemoryBackend backend in backends)
            {
                backend.Allocate(1);
                Assert.Equal(0UL, (ulong)backend.Region!.Address % TwoMiB);
                Assert.Equal(4096UL, backend.Alignment);
            }
        }
        finally
        {
            backends.ForEach(b => b.Dispose());
        }
    }
}
