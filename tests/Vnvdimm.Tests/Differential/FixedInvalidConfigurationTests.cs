using Vnvdimm.Cli;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Differential;

/// <summary>
/// Each refused configuration of <see cref="FixedConfigurations.Invalid"/> under vnvdimm alone:
/// the exact first error line QEMU 7.2 prints (with "vnvdimm" for the program name), a non-zero
/// exit status, and keep.img — 4 MiB of random data present before the run — byte-for-byte and
/// length-for-length unchanged. (QemuDifferentialTests checks the same strings against QEMU.)
/// </summary>
public sealed class FixedInvalidConfigurationTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (FixedConfigurations.InvalidCase invalid in FixedConfigurations.Invalid)
        {
            data.Add(invalid.Case.Name);
        }
        return data;
    }

    [Fact]
    public void There_are_at_least_thirty_refused_configurations()
    {
        Assert.True(FixedConfigurations.Invalid.Count >= 30);
        Assert.Equal(FixedConfigurations.Invalid.Count, FixedConfigurations.Invalid.Select(c => c.Case.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Refused_with_qemus_message_and_nothing_changed(string name)
    {
        FixedConfigurations.InvalidCase invalid = FixedConfigurations.Invalid.Single(c => c.Case.Name == name);
        using var dir = new ScratchDirectory();
        string keep = dir.CreateFile(FixedConfigurations.KeepFile, FixedConfigurations.KeepLength, seed: 42);
        (long Length, string Sha256) before = ScratchDirectory.Fingerprint(keep);

        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        string[] args = ["-S", "-display", "none", "-nodefaults", "-monitor", "stdio",
            .. invalid.Case.Args.Select(a => a.Replace(MachineRunner.DirPlaceholder, dir.Path, StringComparison.Ordinal))];
        int exitCode = VnvdimmProgram.Run(args, new StringReader("info memory-devices\nquit\n"), stdout, stderr);

        Assert.NotEqual(0, exitCode);
        string? firstError = stderr.ToString().Split('\n')
            .FirstOrDefault(line => line.StartsWith("vnvdimm: ", StringComparison.Ordinal) && !line.Contains("warning: ", StringComparison.Ordinal));
        Assert.Equal("vnvdimm: " + invalid.ExpectedError.Replace(MachineRunner.DirPlaceholder, dir.Path, StringComparison.Ordinal), firstError);
        Assert.Equal(before, ScratchDirectory.Fingerprint(keep));
    }
}
