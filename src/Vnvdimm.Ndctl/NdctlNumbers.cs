namespace Vnvdimm.Ndctl;

/// <summary>
/// How ndctl turns option text into numbers: __parse_size64 for sizes (strtoull base 0 and a k/m/g/t
/// suffix) and parse-options' OPT_UINTEGER (strtol base 10, stored in an unsigned int). Hostile
/// input never throws: every path is overflow-checked.
/// </summary>
internal static class NdctlNumbers
{
    /// <summary>
    /// __parse_size64: null where ndctl gets ULLONG_MAX (its "failed to parse" cases: no number,
    /// an unknown suffix or trailing text, strtoull's ERANGE). A product that overflows 64 bits is
    /// refused too; ndctl's own check (product &lt; multiplicand) lets some such wraps through.
    /// </summary>
    public static ulong? ParseSize64(string text, out ulong units)
    {
        units = 1;
        int end = StrToU64(text, 0, out ulong value, out bool range);
        if (range || value == ulong.MaxValue)
        {
            return null;
        }
        ulong unit = end < text.Length ? char.ToLowerInvariant(text[end]) switch
        {
            'k' => 1UL << 10,
            'm' => 1UL << 20,
            'g' => 1UL << 30,
            't' => 1UL << 40,
            _ => 1,
        } : 1;
        if (unit != 1)
        {
            end++;
        }
        if (end != text.Length || value > ulong.MaxValue / unit)
        {
            return null;
        }
        units = unit;
        ulong size = value * unit;
        return size == ulong.MaxValue ? null : size;
    }

    /// <summary>
    /// OPT_UINTEGER: strtol base 10, the whole text must be consumed, the long is then stored into
    /// an unsigned int (so "-1" is 4294967295 and strtol's clamp to LONG_MAX becomes 4294967295).
    /// </summary>
    public static bool TryParseUInteger(string text, out uint value)
    {
        value = 0;
        int i = SkipSpace(text, 0);
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }
        int digits = i;
        // strtol clamps to LONG_MAX / LONG_MIN on overflow.
        ulong magnitude = 0;
        bool clamped = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            ulong digit = (ulong)(text[i] - '0');
            if (magnitude > (ulong.MaxValue - digit) / 10)
            {
                clamped = true;
            }
            else
            {
                magnitude = magnitude * 10 + digit;
            }
            i++;
        }
        if (i == digits)
        {
            // No digits: strtol leaves end at the start, so only an empty text is all consumed (as 0).
            return text.Length == 0;
        }
        if (i != text.Length)
        {
            return false;
        }
        long signed;
        if (negative)
        {
            signed = clamped || magnitude > (ulong)long.MaxValue + 1 ? long.MinValue : unchecked(-(long)magnitude);
        }
        else
        {
            signed = clamped || magnitude > long.MaxValue ? long.MaxValue : (long)magnitude;
        }
        value = unchecked((uint)signed);
        return true;
    }

    /// <summary>strtoull with base 0 from <paramref name="start"/>: the index after the number (the start if there is none).</summary>
    private static int StrToU64(string text, int start, out ulong value, out bool range)
    {
        value = 0;
        range = false;
        int i = SkipSpace(text, start);
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }
        int radix = 10;
        if (i + 1 < text.Length && text[i] == '0' && text[i + 1] is 'x' or 'X' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 2]))
        {
            radix = 16;
            i += 2;
        }
        else if (i < text.Length && text[i] == '0')
        {
            radix = 8;
        }
        int first = i;
        while (i < text.Length && DigitValue(text[i]) is int digit && digit < radix)
        {
            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                range = true;
            }
            else
            {
                value = value * (ulong)radix + (ulong)digit;
            }
            i++;
        }
        if (i == first)
        {
            value = 0;
            return start;
        }
        if (range)
        {
            value = ulong.MaxValue;
        }
        else if (negative)
        {
            value = unchecked(0 - value);
        }
        return i;
    }

    private static int? DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => null,
    };

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r')
        {
            i++;
        }
        return i;
    }
}
