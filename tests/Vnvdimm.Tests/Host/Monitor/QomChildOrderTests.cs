using Vnvdimm.Host.Monitor;

namespace Vnvdimm.Tests.Host.Monitor;

/// <summary>
/// "info memdev" lists /objects in QEMU's order. Expected orders are Debian's
/// qemu-system-x86_64 7.2 output for -object memory-backend-ram,id=ID,size=1M per id
/// (pc.ram is added last, by the board).
/// </summary>
public sealed class QomChildOrderTests
{
    [Theory]
    [InlineData("c a b", "c a b pc.ram")]
    [InlineData("mem0 mem1 mem2 mem3 mem4 mem5 mem6 mem7 mem8 mem9", "pc.ram mem9 mem3 mem4 mem5 mem6 mem0 mem7 mem1 mem8 mem2")]
    [InlineData(
        "zeta alpha mem3 nv-1 b.2 Q m_7 x9 y9 k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 k11 k12",
        "k4 x9 k1 k10 m_7 k9 k6 y9 b.2 k3 zeta Q k12 pc.ram k8 mem3 alpha k5 k2 nv-1 k11 k7")]
    public void Listing_order_matches_qemu(string created, string listed)
    {
        Assert.Equal(listed.Split(' '), QomChildOrder.Order([.. created.Split(' '), "pc.ram"]));
    }
}
