using Vnvdimm.Host.Acpi;

namespace Vnvdimm.Tests.Host.Acpi;

public sealed class NvdimmGpeHandlerBuilderTests
{
    // From QEMU 7.2's DSDT for the s1 machine (etc/acpi/tables read over fw_cfg), inside Scope (_GPE):
    // Method (_E04, 0, NotSerialized) { Notify (\_SB.NVDR, 0x80) }
    private const string QemuE04 = "14135F45303400865C2E5F53425F4E5644520A80";

    [Fact]
    public void Matches_qemus_dsdt_method() =>
        Assert.Equal(QemuE04, Convert.ToHexString(NvdimmGpeHandlerBuilder.Build().ToArray()));
}
