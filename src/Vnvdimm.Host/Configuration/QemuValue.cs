using System.Globalization;

namespace Vnvdimm.Host.Configuration;

/// <summary>
/// QEMU 7.2's typed-value rules for option strings (util/cutils.c, qapi/qapi-util.c): sizes with
/// suffixes, booleans, C-style integers. Each parser reproduces the C function it names, including
/// what it accepts by accident (leading blanks, "-1" as 2^64 − 1), because that decides which error
/// QEMU reports.
/// </summary>
public static class QemuValue
{
    /// <summary>What a C string-to-number function returned.</summary>
    public enum Status
    {
        Ok,
        /// <summary>-EINVAL: not a number, or trailing characters.</summary>
        Invalid,
        /// <summary>-ERANGE: the number does not fit.</summary>
        Range,
    }

    /// <summary>qapi_bool_parse: on/yes/true/y and off/no/false/n, case-sensitive.</summary>
    public static bool TryParseBool(string value, out bool result)
    {
        switch (value)
        {
            case "on" or "yes" or "true" or "y":
                result = true;
                return true;
            case "off" or "no" or "false" or "n":
                result = false;
                return true;
            default:
                result = false;
                return false;
        }
    }

    /// <summary>A boolean option value, with QEMU's error for anything else.</summary>
    public static bool ParseBool(string name, string value) =>
        TryParseBool(value, out bool result) ? result : throw new QemuOptionException($"Parameter '{name}' expects 'on' or 'off'");

    /// <summary>
    /// do_strtosz with end == NULL: decimal (with an optional fraction when a suffix > B applies),
    /// or 0x hex; suffix B/K/M/G/T/P/E, any case; <paramref name="defaultSuffix"/> when none.
    /// A hex number with a suffix is accepted with QEMU's deprecation warning.
    /// </summary>
    public static Status StrToSz(string text, char defaultSuffix, out ulong value, Action<string>? warn = null)
    {
        value = 0;
        Status status = StrToU64(text, 10, out ulong integral, out int end);
        if (status != Status.Ok && end == 0)
        {
            return Status.Invalid;
        }
        if (status == Status.Range)
        {
            // qemu_strtou64 overflowed: the whole string was a number only if nothing follows.
            return end == text.Length ? Status.Range : Status.Invalid;
        }
        if (text.AsSpan(0, end).Contains('-'))
        {
            return Status.Invalid;
        }
        bool hex = false;
        ulong fraction = 0;
        if (integral == 0 && end < text.Length && (text[end] | 0x20) == 'x')
        {
            status = StrToU64(text, 16, out integral, out end);
            if (status == Status.Range)
            {
                return end == text.Length ? Status.Range : Status.Invalid;
            }
            if (status != Status.Ok && end == 0)
            {
                return Status.Invalid;
            }
            if (end < text.Length && text[end] == '.')
            {
                return Status.Invalid;
            }
            hex = true;
        }
        else if (end < text.Length && text[end] == '.')
        {
            // strtod on ".ddd[e±dd]": an exponent makes the whole input invalid; no digits at all
            // ("1.k") just skips the dot.
            int start = end;
            int i = end + 1;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
            bool digits = i > start + 1;
            if (!digits)
            {
                end = start + 1;
            }
            else
            {
                int mantissaEnd = i;
                if (i < text.Length && (text[i] | 0x20) == 'e')
                {
                    int j = i + 1;
                    if (j < text.Length && text[j] is '+' or '-')
                    {
                        j++;
                    }
                    if (j < text.Length && char.IsAsciiDigit(text[j]))
                    {
                        return Status.Invalid;
                    }
                }
                double parsed = double.Parse("0" + text[start..mantissaEnd], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
                // (uint64_t)(fraction * 0x1p64) on x86-64: a fraction that rounds to 1.0 gives 0.
                fraction = parsed >= 1.0 ? 0 : (ulong)(parsed * 18446744073709551616.0);
                end = mantissaEnd;
            }
        }

        ulong multiplier = end < text.Length ? SuffixMultiplier(text[end]) : 0;
        if (multiplier > 0)
        {
            if (hex)
            {
                warn?.Invoke($"warning: Using a multiplier suffix on hex numbers is deprecated: {text}");
            }
            end++;
        }
        else
        {
            multiplier = SuffixMultiplier(defaultSuffix);
        }
        if (multiplier == 1)
        {
            // A fraction needs a scale.
            if (fraction != 0)
            {
                return Status.Invalid;
            }
        }
        else
        {
            // 64.64 fixed point times the multiplier, rounding half up.
            UInt128 whole = (UInt128)integral * multiplier;
            UInt128 part = (UInt128)fraction * multiplier;
            UInt128 total = whole + (part >> 64) + ((part >> 63) & 1);
            if (total > ulong.MaxValue)
            {
                return end == text.Length ? Status.Range : Status.Invalid;
            }
            integral = (ulong)total;
        }
        if (end != text.Length)
        {
            return Status.Invalid;
        }
        value = integral;
        return Status.Ok;
    }

    private static ulong SuffixMultiplier(char suffix) => char.ToUpperInvariant(suffix) switch
    {
        'B' => 1,
        'K' => 1UL << 10,
        'M' => 1UL << 20,
        'G' => 1UL << 30,
        'T' => 1UL << 40,
        'P' => 1UL << 50,
        'E' => 1UL << 60,
        _ => 0,
    };

    /// <summary>qemu_strtosz (default suffix B), true when the whole text is a size.</summary>
    public static bool TryParseSize(string value, out ulong size, Action<string>? warn = null) =>
        StrToSz(value, 'B', out size, warn) == Status.Ok;

    /// <summary>qemu_strtosz with a default unit of 1 byte (B) or 1 MiB (M, qemu_strtosz_MiB).</summary>
    public static bool TryParseSize(string value, ulong defaultMultiplier, out ulong size) =>
        StrToSz(value, defaultMultiplier == 1UL << 20 ? 'M' : 'B', out size) == Status.Ok;

    /// <summary>
    /// strtoull as qemu_strtou64 uses it: blanks, an optional sign, "0x" for base 16 or 0, octal
    /// for a leading 0 in base 0; a minus negates in 64 bits. <paramref name="end"/> is where
    /// parsing stopped (0 when nothing was converted).
    /// </summary>
    public static Status StrToU64(string text, int radix, out ulong value, out int end)
    {
        value = 0;
        end = 0;
        int i = 0;
        while (i < text.Length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r')))
        {
            i++;
        }
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }
        if ((radix == 0 || radix == 16) && i + 1 < text.Length && text[i] == '0' && (text[i + 1] | 0x20) == 'x'
            && i + 2 < text.Length && Uri.IsHexDigit(text[i + 2]))
        {
            radix = 16;
            i += 2;
        }
        else if (radix == 0)
        {
            radix = i < text.Length && text[i] == '0' ? 8 : 10;
        }
        int digitsStart = i;
        UInt128 accumulator = 0;
        bool overflow = false;
        for (; i < text.Length; i++)
        {
            int digit = DigitValue(text[i]);
            if (digit < 0 || digit >= radix)
            {
                break;
            }
            if (!overflow)
            {
                accumulator = accumulator * (uint)radix + (uint)digit;
                overflow = accumulator > ulong.MaxValue;
            }
        }
        if (i == digitsStart)
        {
            return Status.Invalid;
        }
        end = i;
        if (overflow)
        {
            value = ulong.MaxValue;
            return Status.Range;
        }
        value = negative ? unchecked(0UL - (ulong)accumulator) : (ulong)accumulator;
        return Status.Ok;
    }

    /// <summary>qemu_strtou64(text, NULL, base): the whole text must be the number.</summary>
    public static Status StrToU64Full(string text, int radix, out ulong value)
    {
        Status status = StrToU64(text, radix, out value, out int end);
        return status == Status.Ok && end != text.Length ? Status.Invalid : status;
    }

    /// <summary>qemu_strtoi64(text, NULL, base): strtoll over the whole text.</summary>
    public static Status StrToI64Full(string text, int radix, out long value)
    {
        value = 0;
        string trimmed = text.TrimStart(' ', '\t', '\n', '\v', '\f', '\r');
        bool negative = trimmed.StartsWith('-');
        Status status = StrToU64(text, radix, out ulong magnitude, out int end);
        if (status == Status.Invalid || (status == Status.Ok && end != text.Length))
        {
            return Status.Invalid;
        }
        if (negative)
        {
            // StrToU64 already negated: undo to check the magnitude against LLONG_MIN.
            ulong abs = unchecked(0UL - magnitude);
            if (status == Status.Range || abs > 1UL << 63)
            {
                value = long.MinValue;
                return end == text.Length ? Status.Range : Status.Invalid;
            }
            value = unchecked(-(long)abs);
            return Status.Ok;
        }
        if (status == Status.Range || magnitude > long.MaxValue)
        {
            value = long.MaxValue;
            return end == text.Length ? Status.Range : Status.Invalid;
        }
        value = (long)magnitude;
        return Status.Ok;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Human size as QEMU's size_to_str prints it ("4 KiB", "2 MiB", "1.5 GiB").</summary>
    public static string FormatSize(ulong bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int index = bytes == 0 ? 0 : (63 - System.Numerics.BitOperations.LeadingZeroCount(bytes)) / 10;
        double value = bytes / Math.Pow(1024, index);
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.###} {units[index]}");
    }
}
