namespace Vnvdimm.Ndctl;

/// <summary>
/// ndctl 76 commands that need NVDIMM firmware services QEMU 7.2's vNVDIMM does not offer (address
/// range scrub, error and SMART injection, security), answered as Linux 6.1 and ndctl answer them
/// there (tests/Fixtures/ndctl-76/maintenance). An invocation whose answer was not observed is left
/// to the caller (<see cref="TryRun"/> returns false).
/// </summary>
internal static class FirmwareServiceCommands
{
    public static readonly string[] Names = ["start-scrub", "wait-scrub", "inject-smart", "inject-error", "sanitize-dimm"];

    /// <returns>False when this invocation's outcome on Linux under QEMU is not known here.</returns>
    public static bool TryRun(string command, IReadOnlyList<string> args, NdctlIo io, out int exit)
    {
        exit = 0;
        bool hasOptions = args.Any(a => a.StartsWith('-'));
        switch (command)
        {
            case "start-scrub" when !hasOptions:
                // QEMU's NFIT bus has no nfit/scrub attribute.
                io.Error.WriteLine("error starting scrub: No such file or directory");
                exit = 254;
                return true;
            case "wait-scrub" when !hasOptions:
                io.Error.WriteLine("error waiting for scrub completion: No such file or directory");
                exit = 254;
                return true;
            case "inject-smart" when args.Count == 1 && !hasOptions:
                io.Error.Write("  Error: No valid operation specified\n\n");
                exit = 234;
                return true;
            case "inject-error" when args.Count >= 1 && !args.Contains("-n") && !args.Any(a => a.StartsWith("--count", StringComparison.Ordinal))
                && !args.Any(a => a is "-d" or "--uninject" or "-t" or "--status" or "-S" or "--saturate" or "-N" or "--no-notify"):
                io.Error.Write("  Error: block and count required for inject/uninject\n\n");
                exit = 234;
                return true;
            case "sanitize-dimm" when args.Count >= 1 && !hasOptions:
                foreach (string dimm in args)
                {
                    io.Error.Write($"  Error: {dimm}: security operation not supported\n\n");
                }
                io.Error.WriteLine("sanitized 0 nmem.");
                exit = 1;
                return true;
            default:
                return false;
        }
    }
}
