using System.Text;
using System.Text.Json;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Check;

namespace Vnvdimm.Cli;

/// <summary>`vnvdimm check --json`: the schema documented in docs/check.md (schema version 1).</summary>
public static class CheckReportJson
{
    public const int SchemaVersion = 1;

    public static string Write(CheckReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema", SchemaVersion);
            json.WriteString("verdict", Name(report.Verdict));
            json.WriteNumber("exit_status", report.ExitStatus);
            WriteNullable(json, "qemu_error", report.QemuError);
            WriteNullable(json, "nvdimm_persistence", report.NvdimmPersistence);
            if (report.Headroom is { } headroom)
            {
                json.WriteStartObject("machine");
                json.WriteString("type", headroom.MachineType);
                json.WriteNumber("ram_size", headroom.RamSize);
                json.WriteNumber("maxmem", headroom.MaxMem);
                json.WriteNumber("slots", headroom.Slots);
                json.WriteNumber("slots_used", headroom.SlotsUsed);
                json.WriteNumber("slots_free", headroom.SlotsFree);
                json.WriteNumber("device_memory_base", headroom.DeviceMemoryBase);
                json.WriteNumber("device_memory_size", headroom.DeviceMemorySize);
                json.WriteNumber("device_memory_used", headroom.DeviceMemoryUsed);
                json.WriteNumber("device_memory_budget", headroom.DeviceMemoryBudget);
                json.WriteNumber("device_memory_free", headroom.DeviceMemoryFree);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("machine");
            }
            json.WriteStartArray("devices");
            foreach (DeviceReport device in report.Devices)
            {
                WriteDevice(json, device);
            }
            json.WriteEndArray();
            WriteStrings(json, "warnings", report.Warnings);
            WriteStrings(json, "skipped", report.Skipped);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Name(PersistenceVerdict verdict) => verdict switch
    {
        PersistenceVerdict.Persistent => "persistent",
        PersistenceVerdict.NotGuaranteed => "not-guaranteed",
        PersistenceVerdict.Refused => "refused",
        _ => "volatile",
    };

    public static string Name(BackingStoreKind kind) => kind switch
    {
        BackingStoreKind.Missing => "missing",
        BackingStoreKind.File => "file",
        BackingStoreKind.Directory => "directory",
        BackingStoreKind.DaxDevice => "device-dax",
        _ => "other",
    };

    public static string Name(LabelAreaState state) => state switch
    {
        LabelAreaState.Zeros => "zeros",
        LabelAreaState.Labels => "labels",
        LabelAreaState.ForeignData => "foreign-data",
        LabelAreaState.Unread => "unread",
        _ => "none",
    };

    private static void WriteDevice(Utf8JsonWriter json, DeviceReport device)
    {
        json.WriteStartObject();
        json.WriteString("option", device.Option);
        json.WriteString("driver", device.Driver);
        WriteNullable(json, "id", device.Id);
        json.WriteString("verdict", Name(device.Verdict));
        WriteStrings(json, "reasons", device.Reasons);
        WriteNullable(json, "refusal", device.Refusal);
        WriteStrings(json, "warnings", device.Warnings);
        WriteNullable(json, "slot", device.Slot);
        json.WriteNumber("node", device.Node);
        WriteNullable(json, "address", device.Address);
        WriteNullable(json, "pmem_size", device.PmemSize);
        json.WriteNumber("label_size", device.LabelSize);
        WriteNullable(json, "label_offset", device.LabelOffset);
        json.WriteBoolean("unarmed", device.Unarmed);
        WriteNullable(json, "guest_view", device.GuestView);
        json.WriteStartObject("label_area");
        json.WriteString("state", Name(device.LabelArea));
        json.WriteStartArray("namespaces");
        foreach (CheckedNamespace ns in device.Namespaces)
        {
            json.WriteStartObject();
            json.WriteString("dev", ns.Device);
            json.WriteString("mode", ns.Mode);
            json.WriteNumber("size", ns.Size);
            WriteNullable(json, "uuid", ns.Uuid?.ToString());
            json.WriteString("name", ns.Name);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        if (device.Backend is { } backend)
        {
            json.WriteStartObject("backend");
            json.WriteString("id", backend.Id);
            json.WriteString("type", backend.Type);
            WriteNullable(json, "mem_path", backend.MemPath);
            json.WriteNumber("size", backend.Size);
            json.WriteBoolean("share", backend.Share);
            json.WriteBoolean("pmem", backend.Pmem);
            json.WriteBoolean("readonly", backend.ReadOnly);
            json.WriteNumber("align", backend.Align);
            if (backend.Store is { } store)
            {
                json.WriteStartObject("store");
                json.WriteString("kind", Name(store.Kind));
                json.WriteString("filesystem", store.FileSystem);
                WriteNullable(json, "mount_point", store.MountPoint);
                json.WriteBoolean("dax_mount", store.DaxMount);
                json.WriteNumber("size", store.Size);
                WriteNullable(json, "dax_align", store.DaxAlign > 0 ? (ulong)store.DaxAlign : null);
                json.WriteNumber("page_size", store.PageSize);
                json.WriteString("map_sync", store.MapSync switch { MapSyncProbe.Works => "works", MapSyncProbe.Fails => "fails", _ => "not-probed" });
                WriteNullable(json, "map_sync_error", store.MapSyncError);
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("store", "anonymous");
            }
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("backend");
        }
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, ulong? value)
    {
        if (value is ulong number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, int? value)
    {
        if (value is int number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
