using System.Globalization;
using Vnvdimm.Host.Backends;
using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Host.Devices;

/// <summary>
/// Builds a pc-dimm or nvdimm from "-device driver,key=value,..." text, with QEMU 7.2's
/// property checks and messages. Placement and plug checks are the machine's.
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
        string? id = opts.Get("id");
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
        var keys = opts.Keys.Where(k => k is not ("driver" or "id")).ToList();
        MemoryBackend? backend = null;
        int slot = MemoryDevice.UnassignedSlot;
        ulong addr = 0, labelSize = 0;
        uint node = 0;
        bool unarmed = false;
        Guid uuid = Guid.Empty;

        // QEMU sets -device properties in QDict iteration order; it decides which bad one is reported.
        foreach (string key in QDictOrder.Order(keys))
        {
            string value = opts.Get(key)!;
            if (!known.Contains(key))
            {
                throw new QemuOptionException($"Property '{driver}.{key}' not found");
            }
            switch (key)
            {
                case "memdev":
                    backend = findBackend(value) ?? throw new QemuOptionException($"Device '{value}' not found");
                    break;
                case "slot":
                    long slotValue = ParseInteger(key, value, "integer");
                    if (slotValue is < int.MinValue or > int.MaxValue)
                    {
                        throw new QemuOptionException($"Parameter '{key}' expects int32_t");
                    }
                    slot = (int)slotValue;
                    break;
                case "addr":
                    addr = unchecked((ulong)ParseInteger(key, value, "integer"));
                    break;
                case "node":
                    long nodeValue = ParseInteger(key, value, "uint32_t");
                    if (nodeValue is < 0 or > uint.MaxValue)
                    {
                        throw new QemuOptionException($"Parameter '{key}' expects uint32_t");
                    }
                    node = (uint)nodeValue;
                    break;
                case "size":
                    throw new QemuOptionException($"Property '{driver}.size' is not writable");
                case "label-size":
                    if (!QemuValue.TryParseSize(value, 1, out labelSize))
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
                    if (!Guid.TryParseExact(value, "D", out uuid))
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

    // QEMU's string-input visitor: decimal, 0x hex or 0 octal, optionally negative.
    private static long ParseInteger(string key, string value, string expected)
    {
        string text = value;
        bool negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }
        bool ok;
        ulong magnitude;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ok = ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude);
        }
        else
        {
            ok = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        }
        if (!ok || text.Length == 0)
        {
            throw new QemuOptionException($"Parameter '{key}' expects {expected}");
        }
        return negative ? -(long)magnitude : unchecked((long)magnitude);
    }
}
