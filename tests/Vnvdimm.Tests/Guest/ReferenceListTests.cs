using Vnvdimm.Tests.TestSupport;
using static Vnvdimm.Tests.Guest.GuestReferenceCases;

namespace Vnvdimm.Tests.Guest;

/// <summary>
/// Typing <c>ndctl list -DRNiu</c> into the guest console of each reference configuration prints
/// what Linux 6.1 + ndctl 76 printed under QEMU 7.2 (tests/Fixtures/qemu-7.2/*/ndctl-list.json).
/// </summary>
public sealed class ReferenceListTests
{
    [Theory]
    [MemberData(nameof(All), MemberType = typeof(GuestReferenceCases))]
    public void Ndctl_list_prints_what_linux_printed(string name)
    {
        // Every capture was taken at boot on a new backend file (lab's labels were written later by
        // guest-commands.sh), so the machine creates its backends fresh here, as QEMU's run did.
        using var scratch = new ScratchDirectory("vnvdimm-guest-");

        (int exit, string stdout, string stderr) = RunConsole(Arguments(name, scratch.Path), "ndctl list -DRNiu");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(NdctlJsonCanonical.Canonical(ExpectedList(name)), NdctlJsonCanonical.Canonical(stdout));
    }

    [Fact]
    public void Ndctl_list_text_is_byte_for_byte_ndctls_for_s1()
    {
        using var scratch = new ScratchDirectory("vnvdimm-guest-");

        (_, string stdout, _) = RunConsole(Arguments("s1", scratch.Path), "ndctl list -DRNiu");

        Assert.Equal(ExpectedList("s1"), stdout);
    }

    [Fact]
    public void Separate_long_and_bundled_switches_print_the_same()
    {
        using var scratch = new ScratchDirectory("vnvdimm-guest-");

        (_, string stdout, string stderr) = RunConsole(
            Arguments("s4", scratch.Path),
            "ndctl list -DRNiu", "ndctl list -D -R -N -i -u", "ndctl list --dimms --regions --namespaces --idle --human", "ndctl list -u -iNRD");

        Assert.Equal(string.Empty, stderr);
        string expected = ExpectedList("s4");
        Assert.Equal(string.Concat(Enumerable.Repeat(expected, 4)), stdout);
    }
}
