using System.Globalization;
using System.Text;

namespace Vnvdimm.Guest.Console.Json;

/// <summary>A json-c int64, optionally printed through ndctl's size or hex serializer.</summary>
public sealed class JsonCInteger(long value, JsonCNumberFormat format = JsonCNumberFormat.Plain) : JsonCValue
{
    public long Value { get; } = value;

    public JsonCNumberFormat Format { get; } = format;

    /// <summary>util_json_object_size: human-readable with -u.</summary>
    public static JsonCInteger Size(ulong value, bool human) => new(unchecked((long)value), human ? JsonCNumberFormat.Size : JsonCNumberFormat.Plain);

    /// <summary>util_json_object_hex: a hex string with -u.</summary>
    public static JsonCInteger Hex(ulong value, bool human) => new(unchecked((long)value), human ? JsonCNumberFormat.Hex : JsonCNumberFormat.Plain);

    internal override void Write(StringBuilder text, int level)
    {
        switch (Format)
        {
            case JsonCNumberFormat.Size:
                text.Append(DisplaySize(unchecked((ulong)Value)));
                break;
            case JsonCNumberFormat.Hex:
                ulong hex = unchecked((ulong)Value);
                text.Append(hex == 0 ? "\"0\"" : $"\"0x{hex:x}\"");
                break;
            default:
                text.Append(Value.ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    // ndctl's display_size (adapted from mdadm): centi-units rounded half up, IEC then JEDEC.
    internal static string DisplaySize(ulong bytes)
    {
        if (bytes < 5000 * 1024)
        {
            return unchecked((long)bytes).ToString(CultureInfo.InvariantCulture);
        }
        // The KiB/MiB/GiB of ndctl's display_size; it has no larger unit.
        const ulong MiB = 1 << 20, GiB = 1 << 30;
        string iec, jedec;
        if (bytes < 2 * GiB)
        {
            iec = Centi((bytes * 200 / MiB + 1) / 2, "MiB");
            jedec = Centi((bytes / (1000000 / 200) + 1) / 2, "MB");
        }
        else
        {
            iec = Centi(((UInt128)bytes * 200 / GiB + 1) / 2, "GiB");
            jedec = Centi((bytes / (1000000000 / 200) + 1) / 2, "GB");
        }
        return $"\"{iec} ({jedec})\"";
    }

    private static string Centi(UInt128 centi, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{centi / 100}.{centi % 100:00} {unit}");
}
