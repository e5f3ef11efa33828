using Vnvdimm.Host.Acpi;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Interop;
using Vnvdimm.Host.Machine;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Cli;

/// <summary>
/// vnvdimm acpi [QEMU options] --out DIR [--dsm-page ADDR]: builds the machine and writes the
/// NVDIMM tables as the guest holds them after the built-in firmware ran.
/// </summary>
public static class AcpiCommand
{
    public static int Run(string[] args, TextWriter stdout, StderrSink sink)
    {
        var machineArgs = new List<string>();
        string? outDir = null;
        GuestAddress? dsmPage = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out":
                    outDir = i + 1 < args.Length ? args[++i] : throw new QemuOptionException("requires an argument", "acpi --out");
                    break;
                case "--dsm-page":
                    string text = i + 1 < args.Length ? args[++i] : throw new QemuOptionException("requires an argument", "acpi --dsm-page");
                    dsmPage = new GuestAddress(QemuValue.TryParseSize(text, 1, out ulong address)
                        ? address
                        : throw new QemuOptionException($"'{text}' is not an address", "acpi --dsm-page"));
                    break;
                default:
                    machineArgs.Add(args[i]);
                    break;
            }
        }
        if (outDir is null)
        {
            throw new QemuOptionException("--out DIR is required", "acpi");
        }

        // The folder first: a refused --out must not leave a backend file created for nothing.
        bool created = PrepareDirectory(outDir);
        bool done = false;
        try
        {
            ProbeWritable(outDir);
            using VirtualMachine machine = VirtualMachine.Create(machineArgs, sink);
            AcpiMachineDescription description = VirtualMachineAcpi.Describe(machine);
            if (description.Slots == 0)
            {
                throw new QemuOptionException("the machine has no NVDIMM tables: it needs -machine nvdimm=on and -m slots=N", "acpi");
            }
            AcpiTableFiles rendered;
            try
            {
                rendered = AcpiTableWriter.Render(description, machine.Layout.BelowFourGiB, dsmPage);
            }
            catch (Exception e) when (e is ArgumentException or Host.Firmware.FirmwareLoaderException)
            {
                throw new QemuOptionException(e.Message, "acpi");
            }
            foreach (string file in WriteAll(outDir, rendered.Files))
            {
                stdout.WriteLine(file);
            }
            done = true;
        }
        finally
        {
            if (created && !done)
            {
                PosixFiles.RemoveDirectory(outDir);
            }
        }
        return 0;
    }

    /// <summary>Uses an existing folder or makes one (not its parents, as mkdir); true if it made it.</summary>
    private static bool PrepareDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return false;
        }
        int errno = PosixFiles.MakeDirectory(path);
        if (errno != 0)
        {
            throw new QemuOptionException($"cannot create directory '{path}': {PosixFiles.StrError(errno)}", "acpi");
        }
        return true;
    }

    /// <summary>Creates and removes an empty file, so an unwritable folder is refused before the machine exists.</summary>
    private static void ProbeWritable(string directory)
    {
        string probe = Path.Combine(directory, $".probe.{Environment.ProcessId}.tmp");
        int errno = PosixFiles.CreateNewFile(probe, []);
        if (errno != 0)
        {
            string first = Path.Combine(directory, AcpiTableWriter.SsdtFileName);
            throw new QemuOptionException($"cannot create regular file '{first}': {PosixFiles.StrError(errno)}", "acpi");
        }
        File.Delete(probe);
    }

    /// <summary>
    /// Writes every file under a temporary name first and renames them into place only when all
    /// were written, so a failure leaves neither partial tables nor a mix of old and new ones.
    /// </summary>
    private static List<string> WriteAll(string directory, IReadOnlyList<(string Name, byte[] Contents)> files)
    {
        var temporary = new List<string>();
        try
        {
            foreach ((string name, byte[] contents) in files)
            {
                string target = Path.Combine(directory, name);
                string staging = Path.Combine(directory, $".{name}.{Environment.ProcessId}.{temporary.Count}.tmp");
                int errno = PosixFiles.CreateNewFile(staging, contents);
                if (errno != 0)
                {
                    throw new QemuOptionException($"cannot create regular file '{target}': {PosixFiles.StrError(errno)}", "acpi");
                }
                temporary.Add(staging);
            }
            var written = new List<string>();
            for (int i = 0; i < files.Count; i++)
            {
                string target = Path.Combine(directory, files[i].Name);
                try
                {
                    File.Move(temporary[i], target, overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new QemuOptionException($"cannot create regular file '{target}': {PosixFiles.StrError(PosixFiles.ErrnoOf(e))}", "acpi");
                }
                written.Add(target);
            }
            temporary.Clear();
            return written;
        }
        finally
        {
            foreach (string staging in temporary)
            {
                File.Delete(staging);
            }
        }
    }
}
