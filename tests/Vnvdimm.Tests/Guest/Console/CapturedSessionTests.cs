using System.Text;
using System.Text.RegularExpressions;
using Vnvdimm.Cli;
using Vnvdimm.Guest;
using Vnvdimm.Guest.Console;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Machine;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Guest.Console;

/// <summary>
/// ndctl sessions captured on Linux 6.1 + ndctl 76 under QEMU 7.2 (tests/Fixtures/ndctl-76), replayed
/// on the guest console section by section: create-namespace -e on a label-less namespace (QEMU's
/// default NVDIMM) through every mode across four boots, the options ndctl refuses or ignores there,
/// destroy and autolabel ("labelless"); device names through destroy, create and reconfigure
/// ("naming"); check-namespace, clear-errors, read-infoblock and the scrub, injection and security
/// commands QEMU's NFIT cannot serve ("maintenance"). Uuids are made up on both sides, so they are
/// compared as placeholders; info block bytes are compared in LabellessImageTests.
/// </summary>
public sealed partial class CapturedSessionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vnvdimm-labelless-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Fixture(string file) => Path.Combine(ReferenceData.Fixture("ndctl-76", "labelless"), file);

    private sealed record Section(string Name, string Output, int Exit);

    /// <summary>What the capture printed: its sections in order, and everything printed outside them.</summary>
    private static (Queue<Section> Sections, string Outside) ReadCapture(string outputPath)
    {
        string text = File.ReadAllText(outputPath).Replace("\r", "");
        var sections = new Queue<Section>(CapturedSection().Matches(text)
            .Select(m => new Section(m.Groups[1].Value, m.Groups[2].Value, int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture))));
        return (sections, CapturedSection().Replace(text, ""));
    }

    private static string WithoutUuids(string text) => UuidPattern().Replace(text, "<uuid>");

    // Known difference: after autolabel Linux's index blocks carry sequence numbers 3 and 2, which
    // its label writes alone do not explain; vnvdimm's are 1 and 3. Labels, slots and flags match.
    private static string WithoutIndexSequence(string text) => IndexSequence().Replace(text, "\"seq\":<n>");

    /// <summary>Boots a machine on <paramref name="image"/> and runs each section's command, as one boot of the capture.</summary>
    private void Replay(string image, string size, string device, string cmds, string output, Func<string, string>? normalize = null) =>
        ReplayCapture(image, size, device, Fixture(cmds), Fixture(output), normalize);

    /// <summary>
    /// Boots a machine on <paramref name="image"/> and walks the capture's script in order: each
    /// "section NAME COMMAND" is run and compared with what Linux printed for it (output and exit
    /// status); each other ndctl line is run too, and what it left visible (stderr unless
    /// redirected) must be what Linux printed outside the sections.
    /// </summary>
    internal void ReplayCapture(string image, string size, string device, string cmdsPath, string outputPath, Func<string, string>? normalize = null,
        IReadOnlySet<string>? knownDifferences = null)
    {
        normalize ??= text => text;
        string[] argv =
        [
            "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
            "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size={size}",
            "-device", device,
        ];
        using VirtualMachine machine = VirtualMachine.Create(argv, new StderrSink(_ => { }, _ => { }));
        using LinuxGuest guest = GuestConsole.Boot(machine);
        var shell = new GuestShell(guest, new GuestFolder(_folder));
        (Queue<Section> sections, string outside) = ReadCapture(outputPath);
        var loose = new StringBuilder();
        foreach (string line in File.ReadAllLines(cmdsPath))
        {
            if (SectionLine().Match(line) is { Success: true } match)
            {
                Section section = sections.Dequeue();
                Assert.Equal(match.Groups[1].Value, section.Name);
                var printed = new StringWriter { NewLine = "\n" };
                int exit = RunSectionCommand(shell, match.Groups[2].Value, printed);
                if (knownDifferences?.Contains(section.Name) != true)
                {
                    Assert.Equal(
                        (section.Name, section.Exit, normalize(WithoutUuids(section.Output))),
                        (section.Name, exit, normalize(WithoutUuids(printed.ToString()))));
                }
            }
            else if (line.StartsWith("ndctl ", StringComparison.Ordinal))
            {
                foreach (string command in line.Split(';'))
                {
                    var stdout = new StringWriter { NewLine = "\n" };
                    var stderr = new StringWriter { NewLine = "\n" };
                    shell.Execute(Redirection().Replace(command, "").Trim(), stdout, stderr);
                    loose.Append(command.Contains(">/dev/null", StringComparison.Ordinal) ? "" : stdout.ToString());
                    loose.Append(command.Contains("2>&1", StringComparison.Ordinal) || command.Contains("2>/dev/null", StringComparison.Ordinal) ? "" : stderr.ToString());
                }
            }
        }
        Assert.Empty(sections);
        Assert.Equal(WithoutUuids(outside), WithoutUuids(loose.ToString()));
    }

    /// <summary>A section's command: one ndctl command, or sh -c "A; B; C | grep WORD" (grep filters only stdout).</summary>
    private static int RunSectionCommand(GuestShell shell, string command, TextWriter printed)
    {
        if (ShCommand().Match(command) is not { Success: true } sh)
        {
            var stdout = new StringWriter { NewLine = "\n" };
            var stderr = new StringWriter { NewLine = "\n" };
            int exit = shell.Execute(command, stdout, stderr);
            printed.Write(stdout.ToString() + stderr.ToString());
            return exit;
        }
        int last = 0;
        foreach (string part in sh.Groups[1].Value.Split(';'))
        {
            string[] pipe = part.Split('|', 2);
            var stdout = new StringWriter { NewLine = "\n" };
            var stderr = new StringWriter { NewLine = "\n" };
            last = shell.Execute(pipe[0].Trim(), stdout, stderr);
            string output = stdout.ToString();
            if (pipe.Length == 2 && GrepCommand().Match(pipe[1]) is { Success: true } grep)
            {
                string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(grep.Groups[1].Value, StringComparison.Ordinal)).ToArray();
                output = string.Concat(lines.Select(l => l + "\n"));
                last = lines.Length > 0 ? 0 : 1;
            }
            printed.Write(output + stderr.ToString());
        }
        return last;
    }

    private string NewImage(long size)
    {
        string image = Path.Combine(_folder, "nv.img");
        using var file = new FileStream(image, FileMode.CreateNew);
        file.SetLength(size);
        return image;
    }

    [Fact]
    public void Every_mode_in_turn_across_four_boots_as_linux()
    {
        string image = NewImage(512L << 20);
        for (int boot = 1; boot <= 4; boot++)
        {
            Replay(image, "512M", "nvdimm,id=nvdimm1,memdev=mem1", $"boot{boot}-cmds.sh", $"boot{boot}-output.txt");
        }
    }

    [Fact]
    public void Options_destroy_and_a_bare_create_as_linux()
    {
        Replay(NewImage(512L << 20), "512M", "nvdimm,id=nvdimm1,memdev=mem1", "options-cmds.sh", "options-output.txt");
    }

    [Fact]
    public void An_empty_label_area_gets_labels_unless_no_autolabel()
    {
        Replay(NewImage(524416L << 10), "524416K", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K", "autolabel-cmds.sh", "autolabel-output.txt",
            WithoutIndexSequence);
    }

    [Fact]
    public void A_region_not_a_multiple_of_its_alignment_is_refused_before_anything_changes()
    {
        string image = NewImage(512L << 20);
        Replay(image, "512M", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K", "autolabel-cmds.sh", "autolabel-misaligned-output.txt");
        using FileStream file = File.OpenRead(image);
        Assert.Equal(-1, FirstNonZero(file));
    }

    private static long FirstNonZero(Stream stream)
    {
        byte[] buffer = new byte[1 << 20];
        long offset = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            int at = buffer.AsSpan(0, read).IndexOfAnyExcept((byte)0);
            if (at >= 0)
            {
                return offset + at;
            }
            offset += read;
        }
        return -1;
    }

    [Fact]
    public void Device_names_follow_the_kernels_ids_through_destroy_create_and_reconfigure()
    {
        // tests/Fixtures/ndctl-76/naming: a 256M NVDIMM with label-size=128K; three namespaces, the
        // middle one destroyed, namespace0.0 destroyed, creates that fill the idle 0.0 and then the
        // seed, a reconfigure, and the region re-enabled (renumbered by DPA).
        string folder = ReferenceData.Fixture("ndctl-76", "naming");
        // l8: re-enabled with two or more namespaces, Linux 6.1 makes no seed.
        ReplayCapture(NewImage(256L << 20), "256M", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
            Path.Combine(folder, "cmds.sh"), Path.Combine(folder, "cmds-output.txt"));
    }

    [Fact]
    public void A_region_re_enabled_with_two_namespaces_has_no_seed_as_on_linux()
    {
        // tests/Fixtures/ndctl-76/reprobe: the third create fails with ENOSPC after the re-enable.
        string folder = ReferenceData.Fixture("ndctl-76", "reprobe");
        ReplayCapture(NewImage(256L << 20), "256M", "nvdimm,id=nvdimm1,memdev=mem1,label-size=128K",
            Path.Combine(folder, "cmds.sh"), Path.Combine(folder, "cmds-output.txt"));
    }

    [Fact]
    public void Maintenance_commands_answer_as_on_linux_under_qemu()
    {
        string folder = ReferenceData.Fixture("ndctl-76", "maintenance");
        // The raw read-infoblock sections went through the serial console, which does not keep
        // binary bytes; raw output is compared byte for byte in LabellessImageTests.
        ReplayCapture(NewImage(512L << 20), "512M", "nvdimm,id=nvdimm1,memdev=mem1",
            Path.Combine(folder, "cmds.sh"), Path.Combine(folder, "cmds-output.txt"), knownDifferences: new HashSet<string> { "rib-fsdax", "rib-sector" });
    }

    [Fact]
    public void Read_infoblock_without_json_writes_the_namespaces_first_8_KiB()
    {
        string image = NewImage(512L << 20);
        string[] argv =
        [
            "-machine", "pc,nvdimm=on", "-m", "512M,slots=4,maxmem=4G",
            "-object", $"memory-backend-file,id=mem1,share=on,mem-path={image},size=512M", "-device", "nvdimm,id=nvdimm1,memdev=mem1",
        ];
        using VirtualMachine machine = VirtualMachine.Create(argv, new StderrSink(_ => { }, _ => { }));
        using LinuxGuest guest = GuestConsole.Boot(machine);
        using var binary = new MemoryStream();
        var shell = new GuestShell(guest, new GuestFolder(_folder)) { BinaryOutput = binary };
        var stderr = new StringWriter { NewLine = "\n" };
        Assert.Equal(0, shell.Execute("ndctl create-namespace -f -e namespace0.0 -m sector", new StringWriter(), stderr));
        Assert.Equal(0, shell.Execute("ndctl disable-namespace namespace0.0", new StringWriter(), stderr));
        var stdout = new StringWriter();
        binary.SetLength(0);

        int exit = shell.Execute("ndctl read-infoblock namespace0.0", stdout, stderr);

        byte[] expected = new byte[8192];
        using (FileStream file = File.OpenRead(image))
        {
            file.ReadExactly(expected);
        }
        Assert.Equal(0, exit);
        Assert.Equal(expected, binary.ToArray());
        Assert.EndsWith("read 1 infoblock\n", stderr.ToString());
        Assert.Equal("BTT_ARENA_INFO\0\0", System.Text.Encoding.ASCII.GetString(expected, 4096, 16));
    }

    [GeneratedRegex(@"\s*(>/dev/null|2>&1)")]
    private static partial Regex Redirection();

    [GeneratedRegex(@"^section (\S+) ((?:ndctl|sh -c) .*)$")]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^sh -c ""(.*)""$")]
    private static partial Regex ShCommand();

    [GeneratedRegex(@"^\s*grep (\S+)\s*$")]
    private static partial Regex GrepCommand();


    [GeneratedRegex(@"### (\S+)\n(.*?)### rc=(\d+)\n", RegexOptions.Singleline)]
    private static partial Regex CapturedSection();

    [GeneratedRegex(@"""seq"":\d+")]
    private static partial Regex IndexSequence();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex UuidPattern();
}
