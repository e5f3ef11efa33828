using System.Diagnostics;
using Vnvdimm.Tests.Guest;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>Standard input as the guest console when the monitor is not on stdio.</summary>
public sealed class GuestConsoleTests
{
    [Fact]
    public void Only_command_output_reaches_stdout_and_end_of_input_powers_off()
    {
        using var scratch = new ScratchDirectory("vnvdimm-console-");

        (int exit, string stdout, string stderr) = GuestReferenceCases.RunConsole(
            [.. GuestReferenceCases.Arguments("s1", scratch.Path), "-serial", "stdio"],
            "", "frobnicate", "ndctl list -N", "ndctl bogus");

        Assert.Equal(0, exit);
        Assert.Equal("[\n  {\n    \"dev\":\"namespace0.0\",\n    \"mode\":\"raw\",\n    \"size\":268304384,\n    \"sector_size\":512,\n    \"blockdev\":\"pmem0\"\n  }\n]\n", stdout);
        Assert.Equal("sh: frobnicate: not found\nndctl: 'bogus' is not a ndctl command. See 'ndctl --help'.\n", stderr);
    }

    [Theory]
    [InlineData("poweroff")]
    [InlineData("exit")]
    [InlineData("  poweroff  ")]
    public void Poweroff_and_exit_end_the_session_and_later_lines_are_not_run(string command)
    {
        (int exit, string stdout, string stderr) = GuestReferenceCases.RunConsole(["-m", "256M"], "ndctl version", command, "frobnicate", "ndctl version");

        // Only the first "ndctl version" ran.
        Assert.Equal((0, "76\n", string.Empty), (exit, stdout, stderr));
    }

    [Fact]
    public void Help_lists_the_console_commands()
    {
        (int exit, string stdout, string stderr) = GuestReferenceCases.RunConsole(["-m", "256M"], "help");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("Commands of the vnvdimm guest:", lines[0]);
        Assert.StartsWith("  ndctl COMMAND [ARGS]  ndctl 76: ", lines[1], StringComparison.Ordinal);
        foreach (string ndctl in new[] { "list", "read-labels", "init-labels", "create-namespace" })
        {
            Assert.Contains(ndctl, lines[1].Split(": ")[1].Split(", "));
        }
        Assert.Equal("  dmesg                 the guest kernel's messages", lines[2]);
        Assert.Equal("  help                  this list", lines[3]);
        Assert.Equal("  poweroff, exit        power the machine off and leave (as the end of input does)", lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public void A_machine_without_nvdimms_lists_nothing()
    {
        (int exit, string stdout, string stderr) = GuestReferenceCases.RunConsole(["-m", "256M"], "ndctl list -DRNiu");

        Assert.Equal((0, string.Empty, string.Empty), (exit, stdout, stderr));
    }

    [Fact]
    public void The_demo_machine_boots_into_the_guest_console()
    {
        using var scratch = new ScratchDirectory("vnvdimm-demo-");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = scratch.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vnvdimm.dll"));
        using Process process = Process.Start(start)!;
        process.StandardInput.Write("ndctl list -DRNiu\n");
        process.StandardInput.Close();
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("vnvdimm: demo machine: 256 MiB NVDIMM nmem0 backed by ./vnvdimm-demo.img (created); "
            + "type ndctl commands, 'help', or 'poweroff' (or end the input) to leave\n", stderr);
        // The demo machine is s1's configuration.
        Assert.Equal(GuestReferenceCases.ExpectedList("s1"), stdout);
    }
}
