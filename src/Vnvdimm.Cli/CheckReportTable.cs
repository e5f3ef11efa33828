using Spectre.Console;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Check;

namespace Vnvdimm.Cli;

/// <summary>`vnvdimm check`'s readable output: one table row per memory device, then each device's reasons.</summary>
public static class CheckReportTable
{
    /// <param name="colour">Colour only on a terminal.</param>
    public static void Write(CheckReport report, TextWriter output, bool colour, int? width = null)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        // A terminal wraps at its width; a file or pipe gets whole lines.
        if (width is int columns)
        {
            console.Profile.Width = columns;
        }
        else if (!colour)
        {
            console.Profile.Width = 400;
        }

        if (report.Headroom is { } h)
        {
            console.MarkupLineInterpolated(
                $"machine {h.MachineType}: RAM {Size(h.RamSize)}, slots {h.SlotsUsed}/{h.Slots} used, maxmem {Size(h.MaxMem)} with {Size(h.DeviceMemoryFree)} left for memory devices, nvdimm-persistence {report.NvdimmPersistence ?? "unset"}");
        }
        if (report.Devices.Count > 0)
        {
            var table = new Table().Border(TableBorder.Simple);
            foreach (string column in (string[])["device", "backend", "mem-path", "store", "MAP_SYNC", "options", "pmem size", "label area", "address", "slot", "node", "verdict"])
            {
                table.AddColumn(new TableColumn(column));
            }
            foreach (DeviceReport d in report.Devices)
            {
                BackendReport? b = d.Backend;
                table.AddRow(
                    Text(d.Id ?? d.Driver),
                    Text(b is null ? "?" : b.Id),
                    Text(b?.MemPath ?? (b is null ? "-" : b.Type)),
                    Text(Store(b)),
                    Text(b?.Store is { } s ? MapSync(s) : "-"),
                    Text(Options(b, d)),
                    Text(d.PmemSize is ulong p ? Size(p) : "-"),
                    Text(d.LabelOffset is ulong o ? $"{Size(d.LabelSize)} at 0x{o:x}" : "-"),
                    Text(d.Address is ulong a ? $"0x{a:x}" : "-"),
                    Text(d.Slot?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                    Text(d.Verdict == PersistenceVerdict.Refused ? "-" : d.Node.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Markup(Verdict(d.Verdict, colour)));
            }
            console.Write(table);
        }
        foreach (DeviceReport d in report.Devices)
        {
            console.MarkupLine($"{Markup.Escape(d.Id ?? d.Option)}: {Verdict(d.Verdict, colour)}");
            if (d.Refusal is { } refusal)
            {
                console.MarkupLineInterpolated($"  QEMU: {refusal}");
            }
            foreach (string reason in d.Reasons)
            {
                console.MarkupLineInterpolated($"  - {reason}");
            }
            foreach (string warning in d.Warnings)
            {
                console.MarkupLineInterpolated($"  warning: {warning}");
            }
            if (d.GuestView is { } view)
            {
                console.MarkupLineInterpolated($"  guest sees {view}");
            }
            if (d.LabelArea == LabelAreaState.Labels)
            {
                console.MarkupLineInterpolated($"  label area holds a valid label set: {d.Namespaces.Count} namespace(s)");
                foreach (CheckedNamespace ns in d.Namespaces)
                {
                    console.MarkupLineInterpolated($"    {ns.Device} {ns.Mode} {Size(ns.Size)} uuid {ns.Uuid?.ToString() ?? "-"} name \"{ns.Name}\"");
                }
            }
        }
        if (report.QemuError is { } error)
        {
            console.MarkupLineInterpolated($"QEMU would exit with: {error}");
        }
        foreach (string warning in report.Warnings)
        {
            console.MarkupLineInterpolated($"warning: {warning}");
        }
        foreach (string skipped in report.Skipped)
        {
            console.MarkupLineInterpolated($"{skipped}");
        }
    }

    private static Text Text(string value) => new(value);

    // The options that decide persistence, as set: "share=on pmem=off".
    private static string Options(BackendReport? b, DeviceReport d)
    {
        if (b is null)
        {
            return "-";
        }
        var parts = new List<string> { $"share={OnOff(b.Share)}" };
        if (b.Store is not null)
        {
            parts.Add($"pmem={OnOff(b.Pmem)}");
        }
        if (b.ReadOnly)
        {
            parts.Add("readonly=on");
        }
        if (d.Unarmed)
        {
            parts.Add("unarmed=on");
        }
        return string.Join(' ', parts);
    }

    private static string OnOff(bool value) => value ? "on" : "off";

    private static string Store(BackendReport? backend) => backend?.Store switch
    {
        null when backend is not null => "anonymous RAM",
        null => "-",
        { Kind: BackingStoreKind.DaxDevice } s => $"device-dax (align {(s.DaxAlign > 0 ? Size((ulong)s.DaxAlign) : "?")}, size {Size((ulong)s.Size)})",
        { Kind: BackingStoreKind.Missing } s => $"new file on {Fs(s)}",
        { Kind: BackingStoreKind.Directory } s => $"folder on {Fs(s)}",
        { Kind: BackingStoreKind.Other } s => $"not a file ({Fs(s)})",
        { } s => $"file on {Fs(s)}",
    };

    private static string Fs(BackingStore s) => $"{s.FileSystem}{(s.DaxMount ? " (dax)" : string.Empty)}{(s.MountPoint is { } m ? $" {m}" : string.Empty)}";

    private static string MapSync(BackingStore s) => s.MapSync switch
    {
        MapSyncProbe.Works => "works",
        MapSyncProbe.Fails => $"fails ({s.MapSyncError})",
        _ => "not probed",
    };

    private static string Verdict(PersistenceVerdict verdict, bool colour)
    {
        string name = verdict switch
        {
            PersistenceVerdict.Persistent => "persistent",
            PersistenceVerdict.NotGuaranteed => "not guaranteed",
            PersistenceVerdict.Refused => "refused",
            _ => "volatile (RAM)",
        };
        if (!colour)
        {
            return name;
        }
        string style = verdict switch
        {
            PersistenceVerdict.Persistent => "green",
            PersistenceVerdict.NotGuaranteed => "yellow",
            PersistenceVerdict.Refused => "red",
            _ => "grey",
        };
        return $"[{style}]{name}[/]";
    }

    /// <summary>An exact size: whole binary units ("512 MiB", "128 KiB"), else the bytes in hex.</summary>
    public static string Size(ulong bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int unit = 0;
        ulong value = bytes;
        while (value >= 1024 && value % 1024 == 0 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 && bytes >= 1024 ? $"0x{bytes:x}" : $"{value} {units[unit]}";
    }
}
