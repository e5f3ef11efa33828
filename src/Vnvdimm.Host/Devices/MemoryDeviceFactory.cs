using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Devices;

/// <summary>
/// Builds a pc-dimm or nvdimm from "-device driver,key=value,..." text as QEMU 7.2's
/// qdev_device_add does: driver, bus, id, then every property set in QDict order through the
/// keyval visitor, with QEMU's messages. Placement and plug checks are the machine's.
/// </summary>
public static class MemoryDeviceFactory
{
    private static readonly string[] PcDimmProperties = ["memdev", "slot", "addr", "node", "size"];
    private static readonly string[] NvdimmProperties = ["memdev", "slot", "addr", "node", "size", "label-size", "unarmed", "uuid"];

    /// <param name="opts">The parsed option, implied key "driver".</param>
    /// <param name="findBackend">Looks up a memory backend by id.</param>
    /// <param name="isDuplicateId">True if a device with this id already exists.</param>
    public static MemoryDevice Create(QemuOpts opts, Func<string, MemoryBackend?> findBackend, Func<string, bool> isDuplicateId)
    {
        string? driver = opts.Get("driver");
        if (driver is null)
        {
            throw new QemuOptionException("Parameter 'driver' is missing");
        }
        CheckDriver(driver);
        if (opts.Has("bus"))
        {
            throw new QemuOptionException($"Bus '{opts.Get("bus")}' not found");
        }
        string? id = opts.Id;
        if (id is not null)
        {
            if (!MemoryBackend.IsWellFormedId(id))
            {
                throw new QemuOptionException("Parameter 'id' expects an identifier\nIdentifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
            }
            if (isDuplicateId(id))
            {
                throw new QemuOptionException($"Duplicate ID '{id}' for device");
            }
        }
        IEnumerable<KeyValuePair<string, object?>> properties = PropertyOrder(opts.Id, opts.Elements.Where(e => e.Key != "id").Select(e => e.Key))
            .Select(key => new KeyValuePair<string, object?>(key, opts.Elements.Last(e => e.Key == key).Value));
        return Build(driver, id, properties, fromJson: false, findBackend, isDuplicateId);
    }

    /// <summary>
    /// A JSON -device ("{"driver":"nvdimm",…}"), as qdev_device_add_from_qdict with from_json: driver,
    /// bus and id are taken only when they are strings, the id's form is not checked, and each
    /// property is visited strictly by type ("Invalid parameter type for 'slot', expected: integer").
    /// </summary>
    public static MemoryDevice Create(QemuJsonObject json, Func<string, MemoryBackend?> findBackend, Func<string, bool> isDuplicateId)
    {
        string driver = json.TryGetString("driver") ?? throw new QemuOptionException("Parameter 'driver' is missing");
        CheckDriver(driver);
        if (json.TryGetString("bus") is { } bus)
        {
            throw new QemuOptionException($"Bus '{bus}' not found");
        }
        string? id = json.TryGetString("id");
        if (id is not null && isDuplicateId(id))
        {
            throw new QemuOptionException($"Duplicate device ID '{id}'");
        }
        IEnumerable<KeyValuePair<string, object?>> properties = PropertyOrder(null, json.Members.Select(m => m.Key))
            .Select(key => new KeyValuePair<string, object?>(key, json.TryGet(key, out object? value) ? value : null));
        return Build(driver, id, properties, fromJson: true, findBackend, isDuplicateId);
    }

    private static void CheckDriver(string driver)
    {
        if (driver is not ("nvdimm" or "pc-dimm"))
        {
            throw new QemuOptionException($"'{driver}' is not a valid device model name");
        }
    }

    // Every property set in order: text values through the keyval visitor, JSON values by type.
    private static MemoryDevice Build(string driver, string? id, IEnumerable<KeyValuePair<string, object?>> properties, bool fromJson,
        Func<string, MemoryBackend?> findBackend, Func<string, bool> isDuplicateId)
    {
        string[] known = driver == "nvdimm" ? NvdimmProperties : PcDimmProperties;
        MemoryBackend? backend = null;
        int slot = MemoryDevice.UnassignedSlot;
        ulong addr = 0, labelSize = 0;
        uint node = 0;
        bool unarmed = false;
        Guid uuid = Guid.Empty;

        foreach ((string key, object? value) in properties)
        {
            if (!known.Contains(key))
            {
                throw new QemuOptionException($"Property '{driver}.{key}' not found");
            }
            switch (key)
            {
                case "memdev":
                    // qdev_set_id ran first: the device itself is /machine/peripheral/<id>.
                    backend = ResolveMemdev(JsonString(key, value, fromJson), findBackend, name => name == id || isDuplicateId(name));
                    break;
                case "slot":
                    long slotValue = fromJson ? JsonInt64(key, value) : ParseInt64(key, (string)value!);
                    slot = slotValue is >= int.MinValue and <= int.MaxValue
                        ? (int)slotValue
                        : throw new QemuOptionException($"Parameter '{key}' expects int32_t");
                    break;
                case "addr":
                    addr = fromJson ? JsonUInt64(key, value) : ParseUInt64(key, (string)value!);
                    break;
                case "node":
                    ulong nodeValue = fromJson ? JsonUInt64(key, value) : ParseUInt64(key, (string)value!);
                    node = nodeValue <= uint.MaxValue ? (uint)nodeValue : throw new QemuOptionException($"Parameter '{key}' expects uint32_t");
                    break;
                case "size":
                    throw new QemuOptionException($"Property '{driver}.size' is not writable");
                case "label-size":
                    if (fromJson)
                    {
                        labelSize = JsonUInt64(key, value);
                    }
                    else if (!QemuValue.TryParseSize((string)value!, out labelSize))
                    {
                        throw new QemuOptionException($"Parameter '{key}' expects size");
                    }
                    if (labelSize < NvdimmDevice.MinLabelSize)
                    {
                        throw new QemuOptionException($"Property 'nvdimm.label-size' (0x{labelSize:x}) is required at least 0x{NvdimmDevice.MinLabelSize:x}");
                    }
                    break;
                case "unarmed":
                    unarmed = fromJson
                        ? value as bool? ?? throw InvalidType(key, "boolean")
                        : QemuValue.ParseBool(key, (string)value!);
                    break;
                case "uuid":
                    // qemu_uuid_parse: exactly 36 characters, hex digits and dashes in the 8-4-4-4-12 layout.
                    string uuidText = JsonString(key, value, fromJson);
                    if (uuidText.Length != 36 || !Guid.TryParseExact(uuidText, "D", out uuid))
                    {
                        throw new QemuOptionException("Property 'nvdimm.uuid' has invalid value");
                    }
                    break;
            }
        }

        return driver == "nvdimm"
            ? new NvdimmDevice(id, backend, slot, addr, node, labelSize, unarmed, uuid)
            : new PcDimmDevice(id, backend, slot, addr, node);
    }

    private static QemuOptionException InvalidType(string key, string expected) => new($"Invalid parameter type for '{key}', expected: {expected}");

    private static string JsonString(string key, object? value, bool fromJson) =>
        fromJson ? value as string ?? throw InvalidType(key, "string") : (string)value!;

    // qobject_input_type_int64: a number that fits int64.
    private static long JsonInt64(string key, object? value) => value is long signed ? signed : throw InvalidType(key, "integer");

    // qobject_input_type_uint64 (and _size): unsigned, or signed taken as its two's complement.
    private static ulong JsonUInt64(string key, object? value) => value switch
    {
        ulong unsigned => unsigned,
        long signed => unchecked((ulong)signed),
        _ => throw new QemuOptionException($"Parameter '{key}' expects uint64"),
    };

    private static long ParseInt64(string key, string text) =>
        QemuValue.StrToI64Full(text, 0, out long value) == QemuValue.Status.Ok ? value : throw new QemuOptionException($"Parameter '{key}' expects integer");

    private static ulong ParseUInt64(string key, string text) =>
        QemuValue.StrToU64Full(text, 0, out ulong value) == QemuValue.Status.Ok ? value : throw new QemuOptionException($"Parameter '{key}' expects integer");

    // The QDict holds id (QemuOpts puts it first) and every element in order; qdev_device_add
    // clones it (qdict_clone_shallow, which reverses each bucket) and drops driver, bus and id.
    private static IEnumerable<string> PropertyOrder(string? id, IEnumerable<string> keys)
    {
        var dict = new QemuDict();
        if (id is not null)
        {
            dict.Put("id", id);
        }
        foreach (string key in keys)
        {
            dict.Put(key, string.Empty);
        }
        QemuDict clone = dict.ShallowClone();
        clone.Remove("driver");
        clone.Remove("bus");
        clone.Remove("id");
        return clone.Entries.Select(e => e.Key);
    }

    /// <summary>
    /// A link property set from a QOM path (object_resolve_link): an id or a partial path names
    /// a backend; an absolute path must be /objects/ID; other objects are the wrong type.
    /// </summary>
    private static MemoryBackend? ResolveMemdev(string path, Func<string, MemoryBackend?> findBackend, Func<string, bool> isDevice)
    {
        if (path.Length == 0)
        {
            return null;
        }
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        bool absolute = path.StartsWith('/');
        MemoryBackend? backend = null;
        bool otherObject;
        if (absolute)
        {
            if (parts.Length == 2 && parts[0] == "objects")
            {
                backend = findBackend(parts[1]);
            }
            otherObject = backend is null && (parts.Length == 0 || parts is ["objects"] or ["machine"] or ["machine", "peripheral" or "peripheral-anon" or "unattached"]
                || (parts.Length == 3 && parts[0] == "machine" && parts[1] == "peripheral" && isDevice(parts[2])));
        }
        else
        {
            // A partial path matches any object whose path ends with these components.
            if (parts.Length == 1 || (parts.Length == 2 && parts[0] == "objects"))
            {
                backend = findBackend(parts[^1]);
            }
            otherObject = backend is null && parts.Length > 0 && (parts is ["objects"] or ["machine"] or ["peripheral"] or ["peripheral-anon"] or ["unattached"]
                || parts is ["machine", "peripheral" or "peripheral-anon" or "unattached"]
                || (parts.Length == 1 && isDevice(parts[0]))
                || (parts.Length == 2 && parts[0] == "peripheral" && isDevice(parts[1]))
                || (parts.Length == 3 && parts[0] == "machine" && parts[1] == "peripheral" && isDevice(parts[2])));
        }
        if (backend is not null)
        {
            return backend;
        }
        if (otherObject)
        {
            throw new QemuOptionException("Invalid parameter type for 'memdev', expected: memory-backend");
        }
        throw new QemuOptionException($"Device '{path}' not found");
    }
}
