using System.Globalization;
using System.Text;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Check;

namespace Vnvdimm.Cli;

/// <summary>`vnvdimm check`'s readable output: one table row per memory device, then each device's reasons.</summary>
public static class CheckReportTable
{
    private static readonly string[] Columns = ["device", "backend", "mem-path", "store", "MAP_SYNC", "options", "pmem size", "label area", "address", "slot", "node", "verdict"];

    /// <param name="colour">Colour the verdicts (only on a terminal, and not under NO_COLOR).</param>
    /// <remarks>A plain fixed-width table: Spectre's layout costs ~0.4 ms a row, too slow for 256 NVDIMMs.</remarks>
    public static void Write(CheckReport report, TextWriter output, bool colour)
    {
        if (report.Headroom is { } h)
        {
            output.WriteLine(
                $"machine {h.MachineType}: RAM {Size(h.RamSize)}, slots {h.SlotsUsed}/{h.Slots} used, maxmem {Size(h.MaxMem)} with {Size(h.DeviceMemoryFree)} left for memory devices, nvdimm-persistence {report.NvdimmPersistence ?? "unset"}");
        }
        if (report.Devices.Count > 0)
        {
            var rows = new List<string[]> { Columns };
            foreach (DeviceReport d in report.Devices)
            {
                BackendReport? b = d.Backend;
                rows.Add([
                    d.Id ?? d.Driver,
                    b is null ? "?" : b.Id,
                    b?.MemPath ?? (b is null ? "-" : b.Type),
                    Store(b),
                    b?.Store is { } s ? MapSync(s) : "-",
                    Options(b, d),
                    d.PmemSize is ulong p ? Size(p) : "-",
                    d.LabelOffset is ulong o ? $"{Size(d.LabelSize)} at 0x{o:x}" : "-",
                    d.Address is ulong a ? $"0x{a:x}" : "-",
                    d.Slot?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    d.Verdict == PersistenceVerdict.Refused ? "-" : d.Node.ToString(CultureInfo.InvariantCulture),
                    Verdict(d.Verdict),
                ]);
            }
            int[] widths = new int[Columns.Length];
            foreach (string[] row in rows)
            {
                for (int c = 0; c < row.Length; c++)
                {
                    widths[c] = Math.Max(widths[c], row[c].Length);
                }
            }
            var line = new StringBuilder();
            for (int r = 0; r < rows.Count; r++)
            {
                line.Clear();
                for (int c = 0; c < Columns.Length; c++)
                {
                    string cell = rows[r][c];
                    bool last = c == Columns.Length - 1;
                    line.Append(last && r > 0 ? Coloured(report.Devices[r - 1].Verdict, cell, colour) : cell);
                    if (!last)
                    {
                        line.Append(' ', widths[c] - cell.Length + 2);
                    }
                }
                output.WriteLine(line.ToString());
                if (r == 0)
                {
                    output.WriteLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
                }
            }
            output.WriteLine();
        }
        foreach (DeviceReport d in report.Devices)
        {
            output.WriteLine($"{d.Id ?? d.Option}: {Coloured(d.Verdict, Verdict(d.Verdict), colour)}");
            if (d.Refusal is { } refusal)
            {
                output.WriteLine($"  QEMU: {refusal}");
            }
            foreach (string reason in d.Reasons)
            {
                output.WriteLine($"  - {reason}");
            }
            foreach (string warning in d.Warnings)
            {
                output.WriteLine($"  warning: {warning}");
            }
            if (d.GuestView is { } view)
            {
                output.WriteLine($"  guest sees {view}");
            }
            if (d.LabelArea == LabelAreaState.None && d.LabelSize == 0 && d.Namespaces is [CheckedNamespace labelless])
            {
                output.WriteLine($"  label-less namespace: {labelless.Device} {labelless.Mode} {Size(labelless.Size)}{(labelless.Uuid is Guid u ? $" uuid {u}" : "")}");
            }
            if (d.LabelArea == LabelAreaState.Labels)
            {
                output.WriteLine($"  label area holds a valid label set: {d.Namespaces.Count} namespace(s)");
                foreach (CheckedNamespace ns in d.Namespaces)
                {
                    output.WriteLine($"    {ns.Device} {ns.Mode} {Size(ns.Size)} uuid {ns.Uuid?.ToString() ?? "-"} name \"{ns.Name}\"");
                }
            }
        }
        if (report.QemuError is { } error)
        {
            output.WriteLine($"QEMU would exit with: {error}");
        }
        foreach (string warning in report.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }
        foreach (string skipped in report.Skipped)
        {
            output.WriteLine(skipped);
        }
    }

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

    private static string Verdict(PersistenceVerdict verdict) => verdict switch
    {
        PersistenceVerdict.Persistent => "persistent",
        PersistenceVerdict.NotGuaranteed => "not guaranteed",
        PersistenceVerdict.Refused => "refused",
        _ => "volatile (RAM)",
    };

    // SGR green, yellow, red; grey for RAM.
    private static string Coloured(PersistenceVerdict verdict, string text, bool colour) => !colour ? text : verdict switch
    {
        PersistenceVerdict.Persistent => $"\u001b[32m{text}\u001b[0m",
        PersistenceVerdict.NotGuaranteed => $"\u001b[33m{text}\u001b[0m",
        PersistenceVerdict.Refused => $"\u001b[31m{text}\u001b[0m",
        _ => $"\u001b[90m{text}\u001b[0m",
    };

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
