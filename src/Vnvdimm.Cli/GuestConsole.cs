using Vnvdimm.Guest;
using Vnvdimm.Guest.Console;
using Vnvdimm.Guest.Hardware;
using Vnvdimm.Host.Firmware;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor;

namespace Vnvdimm.Cli;

/// <summary>
/// Standard input as the guest console: the built-in firmware places the ACPI tables, the guest
/// boots from the RSDP it hands over, then each line is a shell command whose output alone goes
/// to standard output (errors to standard error). End of input, "poweroff" or "exit" powers the
/// machine off.
/// </summary>
public static class GuestConsole
{
    /// <summary>
    /// Runs the firmware on <paramref name="machine"/> and boots the guest on its platform bus: the
    /// guest gets guest memory, port I/O, GPE/SCI and the RSDP address, nothing of the host.
    /// </summary>
    public static LinuxGuest Boot(VirtualMachine machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        FirmwareHandoff handoff = BuiltInFirmware.Boot(machine);
        return LinuxGuest.Boot(new PlatformBusHardware(machine.Bus), handoff.Rsdp);
    }

    /// <summary>Runs the console; files the guest's commands name stay inside <paramref name="folder"/> (default: the current folder).</summary>
    public static int Run(VirtualMachine machine, TextReader stdin, TextWriter stdout, TextWriter stderr, GuestFolder? folder = null)
    {
        using LinuxGuest guest = Boot(machine);
        // The real console has a byte stream behind its text: binary output reaches it unchanged.
        using Stream? bytes = ReferenceEquals(stdout, System.Console.Out) ? System.Console.OpenStandardOutput() : null;
        var shell = new GuestShell(guest, folder) { BinaryOutput = bytes };
        string? line;
        while (!shell.PoweredOff && (line = stdin.ReadLine()) is not null)
        {
            shell.Execute(line, stdout, stderr);
            stdout.Flush();
            stderr.Flush();
        }
        PowerOff(machine);
        return 0;
    }

    /// <summary>
    /// The guest powered off (end of input, "poweroff" or "exit"): QEMU sends the QMP SHUTDOWN
    /// event (guest-shutdown) to every client at this point.
    /// </summary>
    private static void PowerOff(VirtualMachine machine) => MonitorCommands.For(machine).PowerOff();
}
