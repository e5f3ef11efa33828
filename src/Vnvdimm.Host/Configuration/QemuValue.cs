using System.Globalization;

namespace Vnvdimm.Host.Configuration;

/// <summary>QEMU's typed-value rules for option strings: sizes with suffixes, booleans, numbers.</summary>
public static class QemuValue
{
    /// <summary>on/off/yes/no/true/false, as QEMU 7.2's qapi_bool_parse accepts them.</summary>
    public static bool ParseBool(string name, string value) => value switch
    {
        "on" or "yes" or "true" or "y" => true,
        "off" or "no" or "false" or "n" => false,
        _ => throw new QemuOptionException($"Parameter '{name}' expects 'on' or 'off'"),
    };

    public static bool TryParseSize(string value, ulong defaultMultiplier, out ulong size)
    {
        size = 0;
        if (value.Length == 0 || value[0] == '-' || char.IsWhiteSpace(value[0]))
        {
            return false;
        }
        int end = 0;
        while (end < value.Length && (char.IsAsciiDigit(value[end]) || value[end] == '.' || (end == 1 && (value[end] == 'x' || value[end] == 'X'))))
        {
            end++;
        }
        string number = value[..end];
        string suffix = value[end..];
        ulong multiplier = suffix switch
        {
            "" => defaultMultiplier,
            "b" or "B" => 1,
            "k" or "K" => 1UL << 10,
            "m" or "M" => 1UL << 20,
            "g" or "G" => 1UL << 30,
            "t" or "T" => 1UL << 40,
            "p" or "P" => 1UL << 50,
            "e" or "E" => 1UL << 60,
            _ => 0,
        };
        if (multiplier == 0 || number.Length == 0)
        {
            return false;
        }
        if (number.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            // Hex numbers take no fraction and, in QEMU 7.2, no suffix other than none.
            if (suffix.Length != 0 || !ulong.TryParse(number.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex))
            {
                return false;
            }
            size = hex;
            return true;
        }
        if (number.Contains('.'))
        {
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal fraction))
            {
                return false;
            }
            decimal scaled = fraction * multiplier;
            if (scaled >= 18446744073709551616m)
            {
                return false;
            }
            size = (ulong)scaled;
            return true;
        }
        if (!ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out ulong whole))
        {
            return false;
        }
        UInt128 product = (UInt128)whole * multiplier;
        if (product > ulong.MaxValue)
        {
            return false;
        }
        size = (ulong)product;
        return true;
    }

    /// <summary>A size property of an object or device ("size=256M").</summary>
    public static ulong ParseSize(string name, string value) =>
        TryParseSize(value, 1, out ulong size) ? size : throw new QemuOptionException($"Parameter '{name}' expects a size value");

    public static ulong ParseNumber(string name, string value)
    {
        bool ok = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong n)
            : ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out n);
        return ok ? n : throw new QemuOptionException($"Parameter '{name}' expects a number");
    }

    /// <summary>Human size as QEMU's size_to_str prints it ("4 KiB", "2 MiB", "1.5 GiB").</summary>
    public static string FormatSize(ulong bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int index = bytes == 0 ? 0 : (63 - System.Numerics.BitOperations.LeadingZeroCount(bytes)) / 10;
        double value = bytes / Math.Pow(1024, index);
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.###} {units[index]}");
    }
}
