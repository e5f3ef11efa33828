using Vnvdimm.Host.Backends;

namespace Vnvdimm.Cli;

/// <summary>
/// Standard input as the guest console: one command per line until end of input, which powers
/// the machine off. The built-in guest that answers commands is not part of this version, so
/// every command is refused on stderr rather than silently ignored.
/// </summary>
public static class GuestConsole
{
    public static int Run(TextReader stdin, StderrSink sink)
    {
        int refused = 0;
        string? line;
        while ((line = stdin.ReadLine()) is not null)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            sink.Report($"guest console: '{line.Trim()}': no guest commands are available yet");
            refused++;
        }
        return refused == 0 ? 0 : 1;
    }
}
