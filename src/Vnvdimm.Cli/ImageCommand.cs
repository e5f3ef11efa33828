using Microsoft.Win32.SafeHandles;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Cli;

/// <summary>
/// vnvdimm image FILE [--size SIZE] --label-size SIZE -- ndctl COMMAND …: ndctl commands on a
/// backend file offline. The file is the whole backend and its last label-size bytes are the label
/// area (as QEMU's nvdimm label-size), presented as nmem0. --size creates a new sparse file; an
/// existing file is used only if it already has that size: a user's file is never truncated or
/// extended.
/// </summary>
public static class ImageCommand
{
    private const string Usage = "usage: vnvdimm image FILE [--size SIZE] --label-size SIZE -- ndctl COMMAND [ARGS]";

    /// <summary>From the vnvdimm entry point: binary output to the real stdout when that is where text goes.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (ReferenceEquals(stdout, Console.Out))
        {
            stdout.Flush();
            using Stream output = Console.OpenStandardOutput();
            using Stream input = Console.OpenStandardInput();
            return Run(args, new NdctlIo(output, stderr, input, OutputIsTerminal: !Console.IsOutputRedirected));
        }
        // A captured writer (tests, embedding): bytes pass through as UTF-8 text.
        using var buffer = new MemoryStream();
        using var inputBuffer = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin.ReadToEnd()));
        int status = Run(args, new NdctlIo(buffer, stderr, inputBuffer));
        stdout.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        return status;
    }

    public static int Run(string[] args, NdctlIo io)
    {
        string? file = null;
        ulong? size = null;
        ulong? labelSize = null;
        int separator = Array.IndexOf(args, "--");
        string[] options = separator < 0 ? args : args[..separator];
        string[] ndctl = separator < 0 ? [] : args[(separator + 1)..];
        for (int i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case "--size" or "--label-size" when i + 1 >= options.Length:
                    return Fail(io, $"{options[i]} requires a value");
                case "--size" or "--label-size":
                    string text = options[++i];
                    // --label-size 0 is QEMU's default NVDIMM: no label area, one label-less namespace.
                    if (!QemuValue.TryParseSize(text, out ulong value) || (value == 0 && options[i - 1] == "--size"))
                    {
                        return Fail(io, $"'{text}' is not a size for {options[i - 1]}");
                    }
                    if (options[i - 1] == "--size")
                    {
                        size = value;
                    }
                    else
                    {
                        labelSize = value;
                    }
                    break;
                default:
                    if (file is not null || options[i].StartsWith('-'))
                    {
                        return Fail(io, $"unexpected argument '{options[i]}'");
                    }
                    file = options[i];
                    break;
            }
        }
        if (file is null || labelSize is null || ndctl.Length < 2 || ndctl[0] != "ndctl")
        {
            return Fail(io, file is null ? "FILE is required" : labelSize is null ? "--label-size is required" : "expected '-- ndctl COMMAND'");
        }
        if (labelSize > int.MaxValue)
        {
            return Fail(io, $"--label-size {labelSize} is larger than a label area can be");
        }
        if (size is { } wanted && !TryPrepare(file, wanted, (int)labelSize, io))
        {
            return 1;
        }
        using ImageLabelStore? store = ImageLabelStore.TryOpen(file, (int)labelSize, out string? reason);
        if (store is null)
        {
            return Fail(io, reason!);
        }
        try
        {
            return NdctlCommands.Run(ndctl[1..], [new NdctlDimm("nmem0", store)], io);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Last resort (e.g. the image shrank or vanished meanwhile): one line, never a stack trace.
            return Fail(io, FailureText.Describe(e));
        }
    }

    /// <summary>
    /// Creates a new sparse file of <paramref name="size"/> bytes, or accepts an existing one of
    /// exactly that size. A dangling symbolic link is refused, not followed: QEMU never creates a
    /// backend through one (its open loop spins on ENOENT/EEXIST), and the file would land wherever
    /// the link points.
    /// </summary>
    private static bool TryPrepare(string file, ulong size, int labelSize, NdctlIo io)
    {
        if (ImageLabelStore.CheckGeometry(file, size, labelSize) is string tooSmall)
        {
            Fail(io, tooSmall);
            return false;
        }
        if (ImageLabelStore.IsDanglingLink(file, out string? target))
        {
            Fail(io, $"can't open backing store {file}: No such file or directory (dangling symbolic link to '{target}', not created through it)");
            return false;
        }
        try
        {
            // CreateNew never replaces a file someone else made meanwhile; SetLength on a new file is sparse.
            using SafeFileHandle handle = File.OpenHandle(file, FileMode.CreateNew, FileAccess.ReadWrite);
            try
            {
                RandomAccess.SetLength(handle, size > long.MaxValue ? throw new ArgumentOutOfRangeException(nameof(size)) : (long)size);
            }
            catch (Exception e) when (e is IOException or ArgumentOutOfRangeException)
            {
                // ftruncate refused the size (EFBIG, ENOSPC…): the file we just made must not stay.
                handle.Dispose();
                File.Delete(file);
                Fail(io, $"can't open backing store {file}: {(e is ArgumentOutOfRangeException ? "File too large" : e.Message)}");
                return false;
            }
            return true;
        }
        catch (IOException) when (File.Exists(file) || Directory.Exists(file))
        {
            // QEMU's words for an existing mem-path whose size differs from size= come from TryOpen.
            using ImageLabelStore? existing = ImageLabelStore.TryOpen(file, labelSize, out string? reason, expectedLength: size);
            if (existing is null)
            {
                Fail(io, reason!);
                return false;
            }
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            Fail(io, $"can't open backing store {file}: Permission denied");
            return false;
        }
        catch (IOException e)
        {
            Fail(io, $"can't open backing store {file}: {e.Message}");
            return false;
        }
    }

    private static int Fail(NdctlIo io, string message)
    {
        io.Error.WriteLine($"{VnvdimmProgram.ProgramName}: image: {message}");
        if (message.Contains("required", StringComparison.Ordinal) || message.StartsWith("expected", StringComparison.Ordinal))
        {
            io.Error.WriteLine(Usage);
        }
        return 1;
    }
}
