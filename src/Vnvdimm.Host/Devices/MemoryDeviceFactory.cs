using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;

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
        if (driver is not ("nvdimm" or "pc-dimm"))
        {
            throw new QemuOptionException($"'{driver}' is not a valid device model name");
        }
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

        string[] known = driver == "nvdimm" ? NvdimmProperties : PcDimmProperties;
        MemoryBackend? backend = null;
        int slot = MemoryDevice.UnassignedSlot;
        ulong addr = 0, labelSize = 0;
        uint node = 0;
        bool unarmed = false;
        Guid uuid = Guid.Empty;

        foreach ((string key, string value) in PropertyOrder(opts))
        {
            if (!known.Contains(key))
            {
                throw new QemuOptionException($"Property '{driver}.{key}' not found");
            }
            switch (key)
            {
                case "memdev":
                    // qdev_set_id ran first: the device itself is /machine/peripheral/<id>.
                    backend = ResolveMemdev(value, findBackend, name => name == id || isDuplicateId(name));
                    break;
                case "slot":
                    if (QemuValue.StrToI64Full(value, 0, out long slotValue) != QemuValue.Status.Ok)
                    {
                        throw new QemuOptionException($"Parameter '{key}' expects integer");
                    }
                    slot = slotValue is >= int.MinValue and <= int.MaxValue
                        ? (int)slotValue
                        : throw new QemuOptionException($"Parameter '{key}' expects int32_t");
                    break;
                case "addr":
                    if (QemuValue.StrToU64Full(value, 0, out addr) != QemuValue.Status.Ok)
                    {
                        throw new QemuOptionException($"Parameter '{key}' expects integer");
                    }
                    break;
                case "node":
                    if (QemuValue.StrToU64Full(value, 0, out ulong nodeValue) != QemuValue.Status.Ok)
                    {
                        throw new QemuOptionException($"Parameter '{key}' expects integer");
                    }
                    node = nodeValue <= uint.MaxValue ? (uint)nodeValue : throw new QemuOptionException($"Parameter '{key}' expects uint32_t");
                    break;
                case "size":
                    throw new QemuOptionException($"Property '{driver}.size' is not writable");
                case "label-size":
                    if (!QemuValue.TryParseSize(value, out labelSize))
                    {
                        throw new QemuOptionException($"Parameter '{key}' expects size");
                    }
                    if (labelSize < NvdimmDevice.MinLabelSize)
                    {
                        throw new QemuOptionException($"Property 'nvdimm.label-size' (0x{labelSize:x}) is required at least 0x{NvdimmDevice.MinLabelSize:x}");
                    }
                    break;
                case "unarmed":
                    unarmed = QemuValue.ParseBool(key, value);
                    break;
                case "uuid":
                    // qemu_uuid_parse: exactly 36 characters, hex digits and dashes in the 8-4-4-4-12 layout.
                    if (value.Length != 36 || !Guid.TryParseExact(value, "D", out uuid))
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

    // qemu_opts_to_qdict puts id and every element in order; qdev_device_add clones it
    // (qdict_clone_shallow, which reverses each bucket) and drops driver, bus and id.
    private static IEnumerable<KeyValuePair<string, string>> PropertyOrder(QemuOpts opts)
    {
        var dict = new QemuDict();
        if (opts.Id is { } id)
        {
            dict.Put("id", id);
        }
        foreach ((string key, string value) in opts.Elements)
        {
            if (key != "id")
            {
                dict.Put(key, value);
            }
        }
        QemuDict clone = dict.ShallowClone();
        clone.Remove("driver");
        clone.Remove("bus");
        clone.Remove("id");
        return clone.Entries.Select(e => new KeyValuePair<string, string>(e.Key, (string)e.Value));
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
