using System.Diagnostics;
using Vnvdimm.Formats.Acpi;
using Vnvdimm.Formats.Aml;
using Vnvdimm.Host.Acpi;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Acpi;

/// <summary>Every table we produce must disassemble with iasl -d (acpica-tools) without errors.</summary>
public sealed class IaslDisassemblyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vnvdimm-iasl-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Iasl_disassembles_every_produced_table()
    {
        ExternalTools.Require("iasl", "acpica-tools");
        var tables = new List<string>();
        foreach (string name in ReferenceCase.Names)
        {
            tables.AddRange(WriteTables(name, ReferenceCase.Machine(name)));
        }
        var large = new AcpiMachineDescription(256, NvdimmPersistence.Cpu,
        [
            new NvdimmAcpiDevice(0, 0x1_0000_0000, 1UL << 30, 0, false, 0),
            new NvdimmAcpiDevice(200, 0x2_0000_0000, 1UL << 30, 1, true, 128 << 10),
            new NvdimmAcpiDevice(255, 0x3_0000_0000, 1UL << 30, 0, false, 0),
        ]);
        tables.AddRange(WriteTables("large", large));
        tables.Add(WriteGpeHandlerTable());

        foreach (string table in tables)
        {
            (int exitCode, string output) = RunIasl(table);
            Assert.True(exitCode == 0, $"iasl -d {Path.GetFileName(table)} exited {exitCode}:\n{output}");
            Assert.DoesNotContain("Error", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.ChangeExtension(table, ".dsl")), $"no disassembly for {table}:\n{output}");
        }
    }

    private IEnumerable<string> WriteTables(string name, AcpiMachineDescription machine)
    {
        string directory = Path.Combine(_directory, name);
        AcpiTablesWritten written = AcpiTableWriter.Write(machine, ReferenceCase.RamBelow4G, null, directory);
        foreach (string file in written.Files.Where(f => Path.GetFileName(f) is "SSDT" or "NFIT"))
        {
            // iasl names its output after the input, so give each table its own .dat name.
            string renamed = Path.Combine(directory, Path.GetFileName(file) + ".dat");
            File.Move(file, renamed);
            yield return renamed;
        }
    }

    // The _E04 fragment is not a table; wrap it the way the DSDT holds it, in \_GPE.
    private string WriteGpeHandlerTable()
    {
        var scope = new AmlScope("\\_GPE") { NvdimmGpeHandlerBuilder.Build() };
        byte[] body = scope.ToArray();
        var table = new byte[SdtHeaderLayout.Size + body.Length];
        QemuAcpiHeader.Create("SSDT", 1, (uint)table.Length, "BOCHS ", "E04").WriteTo(table);
        body.CopyTo(table, SdtHeaderLayout.Size);
        AcpiChecksum.Update(table, SdtHeaderLayout.ChecksumOffset);
        string path = Path.Combine(_directory, "E04.dat");
        File.WriteAllBytes(path, table);
        return path;
    }

    private static (int ExitCode, string Output) RunIasl(string table)
    {
        var start = new ProcessStartInfo("iasl")
        {
            WorkingDirectory = Path.GetDirectoryName(table)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add(Path.GetFileName(table));
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("iasl (acpica-tools) is not installed; install it or set VNVDIMM_SKIP_EXTERNAL=1", e);
        }
        using (process)
        {
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output + error.Result);
        }
    }
}
