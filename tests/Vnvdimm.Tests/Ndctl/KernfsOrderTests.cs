using Vnvdimm.Ndctl;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>The listing order of ndctl 76 on Linux 6.1: descending kernfs name hash.</summary>
public sealed class KernfsOrderTests
{
    [Theory]
    [InlineData("nmem0", 932597612u)]
    [InlineData("nmem1", 1903337445u)]
    [InlineData("region0", 1027193778u)]
    [InlineData("region1", 1997933610u)]
    [InlineData("namespace0.0", 17380623u)]
    public void Hash_is_kernfs_name_hash(string name, uint hash) => Assert.Equal(hash, KernfsOrder.Hash(name));

    [Fact]
    public void Order_matches_the_captures()
    {
        // s3 and hotplug list nmem1 before nmem0 and region1 before region0; lab lists namespace0.2, 0.1, 0.0.
        Assert.Equal(["nmem1", "nmem0"], KernfsOrder.Sort(["nmem0", "nmem1"], n => n));
        Assert.Equal(["region1", "region0"], KernfsOrder.Sort(["region0", "region1"], n => n));
        Assert.Equal(["namespace0.2", "namespace0.1", "namespace0.0"], KernfsOrder.Sort(["namespace0.0", "namespace0.1", "namespace0.2"], n => n));
    }
}
