using System.Text;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Devices;
using Vnvdimm.Host.Machine;
using Vnvdimm.Host.Monitor.Qmp;

namespace Vnvdimm.Host.Monitor;

/// <summary>
/// HMP, QEMU's human monitor: one command per line, output in QEMU 7.2's text formats.
/// </summary>
public sealed class HumanMonitor(VirtualMachine machine, TextWriter output)
{
    public const string Version = "7.2.22";
    public const string Banner = "QEMU " + Version + " monitor - type 'help' for more information";

    /// <summary>True once quit was entered (not merely end of input).</summary>
    public bool QuitRequested { get; private set; }

    /// <summary>Runs one command line; returns false when the monitor should stop (quit).</summary>
    public bool Execute(string line)
    {
        try
        {
            return ExecuteCommand(line.Trim());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever the machine code throws is one error line; the monitor goes on.
            output.WriteLine($"Error: {e.Message}");
            return true;
        }
    }

    private bool ExecuteCommand(string command)
    {
        if (command.Length > 0)
        {
            MonitorCommands.For(machine).OnCommand(command);
        }
        switch (command)
        {
            case "":
                return true;
            case "quit" or "q":
                QuitRequested = true;
                // SHUTDOWN goes to every QMP client before the machine ends.
                MonitorCommands.For(machine).EmitQuitShutdown();
                return false;
            case "info memory-devices":
                output.Write(FormatMemoryDevices(machine.DeviceMemory.Devices));
                return true;
            case "info memdev":
                output.Write(FormatMemdev(MemdevOrder(machine.Backends)));
                return true;
            case "info version":
                output.WriteLine(Version);
                return true;
            default:
                return ExecuteWithArgument(command);
        }
    }

    // Issue 7: the commands that take an argument, and help.
    private bool ExecuteWithArgument(string command)
    {
        int space = command.IndexOfAny([' ', '\t']);
        string name = space < 0 ? command : command[..space];
        string argument = space < 0 ? string.Empty : command[(space + 1)..].Trim();
        MonitorCommands commands = MonitorCommands.For(machine);
        try
        {
            switch (name)
            {
                case "object_add" or "object_del" or "device_add" or "device_del" when argument.Length == 0:
                    // monitor_parse_arguments: a required string argument is missing.
                    output.WriteLine($"{name}: string expected");
                    output.WriteLine($"Try \"help {name}\" for more information");
                    return true;
                case "object_add":
                    commands.ObjectAdd(QemuOpts.Parse(argument, "qom-type", QemuOpts.ParseMode.KeyVal));
                    return true;
                case "object_del":
                    commands.ObjectDel(FirstWord(argument));
                    return true;
                case "device_add":
                    commands.DeviceAdd(QemuOpts.Parse(argument, "driver"));
                    return true;
                case "device_del":
                    commands.DeviceDel(FirstWord(argument));
                    return true;
                case "help" or "?":
                    WriteHelp(argument);
                    return true;
                case "info" when argument.Length == 0:
                    foreach (string line in InfoHelp)
                    {
                        output.WriteLine(line);
                    }
                    return true;
                case "info":
                    output.WriteLine($"unknown command: 'info {FirstWord(argument)}'");
                    return true;
                default:
                    output.WriteLine($"unknown command: '{name}'");
                    return true;
            }
        }
        catch (QmpException e)
        {
            output.WriteLine($"Error: {e.Message}");
        }
        catch (QemuOptionException e)
        {
            output.WriteLine($"Error: {e.Message}");
        }
        return true;
    }

    /// <summary>QEMU 7.2's help lines for the commands this monitor has.</summary>
    public static readonly IReadOnlyList<string> CommandHelp =
    [
        "device_add driver[,prop=value][,...] -- add device, like -device on the command line",
        "device_del device -- remove device",
        "help|? [cmd] -- show the help",
        "info [subcommand] -- show various information about the system state",
        "object_add [qom-type=]type,id=str[,prop=value][,...] -- create QOM object",
        "object_del id -- destroy QOM object",
        "quit|q  -- quit the emulator",
    ];

    /// <summary>QEMU 7.2's "info" help lines for the subcommands this monitor has.</summary>
    public static readonly IReadOnlyList<string> InfoHelp =
    [
        "info memdev  -- show memory backends",
        "info memory-devices  -- show memory devices",
        "info version  -- show the version of QEMU",
    ];

    private void WriteHelp(string topic)
    {
        string word = FirstWord(topic);
        IEnumerable<string> lines = word switch
        {
            "" => CommandHelp,
            "info" => InfoHelp,
            _ => CommandHelp.Where(l => l.Split(' ')[0].Split('|').Contains(word)),
        };
        foreach (string line in lines)
        {
            output.WriteLine(line);
        }
    }

    private static string FirstWord(string text)
    {
        int space = text.IndexOfAny([' ', '\t']);
        return space < 0 ? text : text[..space];
    }

    /// <summary>Reads commands until end of input or quit, prompting as QEMU does.</summary>
    public void Run(TextReader input)
    {
        output.WriteLine(Banner);
        while (true)
        {
            output.Write("(qemu) ");
            output.Flush();
            string? line = input.ReadLine();
            if (line is null || !Execute(line))
            {
                return;
            }
            output.Flush();
        }
    }

    /// <summary>"info memory-devices": one block per device, sorted by address.</summary>
    public static string FormatMemoryDevices(IEnumerable<MemoryDevice> devices)
    {
        var text = new StringBuilder();
        foreach (MemoryDevice device in devices.OrderBy(d => d.Address.Value))
        {
            text.Append($"Memory device [{device.Kind}]: \"{device.Id ?? string.Empty}\"\n");
            text.Append($"  addr: 0x{device.Address.Value:x}\n");
            text.Append($"  slot: {device.Slot}\n");
            text.Append($"  node: {device.Node}\n");
            text.Append($"  size: {device.ExposedSize}\n");
            text.Append($"  memdev: /objects/{device.Backend!.Id}\n");
            text.Append($"  hotplugged: {Bool(device.Hotplugged)}\n");
            text.Append($"  hotpluggable: true\n");
        }
        return text.ToString();
    }

    /// <summary>"info memdev": one block per backend, then a blank line.</summary>
    public static string FormatMemdev(IEnumerable<MemoryBackend> backends)
    {
        var text = new StringBuilder();
        foreach (MemoryBackend backend in backends)
        {
            text.Append($"memory backend: {backend.Id}\n");
            text.Append($"  size:  {backend.Size}\n");
            text.Append($"  merge: {Bool(backend.Merge)}\n");
            text.Append($"  dump: {Bool(backend.Dump)}\n");
            text.Append($"  prealloc: {Bool(backend.Prealloc)}\n");
            text.Append($"  share: {Bool(backend.Share)}\n");
            text.Append($"  reserve: {Bool(backend.Reserve)}\n");
            text.Append($"  policy: {backend.Policy}\n");
            text.Append($"  host nodes: {FormatNodeList(backend.HostNodes)}\n");
        }
        text.Append('\n');
        return text.ToString();
    }

    /// <summary>The order QEMU lists backends: its walk over /objects.</summary>
    public static IReadOnlyList<MemoryBackend> MemdevOrder(IReadOnlyList<MemoryBackend> backends) =>
        QomChildOrder.Order(backends.Select(b => b.Id).ToList())
            .Select(id => backends.First(b => b.Id == id)).ToList();

    // The string output visitor prints a list of integers as ranges: "0-2,5".
    private static string FormatNodeList(IReadOnlyList<ushort> nodes)
    {
        var parts = new List<string>();
        for (int i = 0; i < nodes.Count;)
        {
            int j = i;
            while (j + 1 < nodes.Count && nodes[j + 1] == nodes[j] + 1)
            {
                j++;
            }
            parts.Add(i == j ? $"{nodes[i]}" : $"{nodes[i]}-{nodes[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
