using System.Text;
using Vnvdimm.Host.Configuration;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// Reads an -object argument the way QEMU 7.2 does: key=value text through QemuOpts and the
/// OptsVisitor (values are text: "256M", "on"), JSON through the strict QObject input visitor
/// (values are typed: numbers, true/false, lists). Members are visited in schema order, each
/// error names the first bad member, and leftover options are reported in GLib hash-table order.
/// Errors carry no location; the caller adds the -object text.
/// </summary>
internal sealed class OptsReader
{
    // OptsVisitor refuses ranges of this many elements or more.
    private const ulong RangeMax = 65536;

    private readonly QemuOpts? _opts;
    private readonly QemuJsonObject? _json;
    private readonly HashSet<string> _present;
    private readonly GLibHashOrder _unprocessed = new();
    private readonly List<string> _visitedPresent = [];

    /// <summary>A JSON -object: the visitor's table holds the members in QDict order.</summary>
    public OptsReader(QemuJsonObject json)
    {
        _json = json;
        List<string> keys = json.Members.Select(m => m.Key).ToList();
        _present = new HashSet<string>(keys, StringComparer.Ordinal);
        foreach (string key in QDictOrder.Order(keys))
        {
            _unprocessed.Insert(key);
        }
    }

    public bool IsJson => _json is not null;

    public OptsReader(QemuOpts opts)
    {
        _opts = opts;
        _present = new HashSet<string>(opts.Keys, StringComparer.Ordinal);
        // QemuOpts keeps "qom-type" first (the implied key) and "id" apart; the visitor's table
        // gets the options in command-line order and "id" last.
        _unprocessed.Insert("qom-type");
        foreach (string key in opts.Keys)
        {
            if (key != "id")
            {
                _unprocessed.Insert(key);
            }
        }
        if (_present.Contains("id"))
        {
            _unprocessed.Insert("id");
        }
    }

    /// <summary>Members that were given, in the order they were visited (QEMU's schema order).</summary>
    public IReadOnlyList<string> VisitedPresent => _visitedPresent;

    public bool Has(string name) => _present.Contains(name);

    /// <summary>The raw value of an option QEMU reads outside the visitor (qom-type, id); key=value only.</summary>
    public string? Peek(string name) => _opts is not null && _present.Contains(name) ? _opts.Get(name) : null;

    // The text of a key=value member.
    private string Text(string name) => _opts!.Get(name)!;

    private object? JsonValue(string name)
    {
        _json!.TryGet(name, out object? value);
        return value;
    }

    // qobject_input_type_uint64: an unsigned number, or a signed one taken as its two's complement.
    private static bool TryJsonUInt64(object? value, out ulong result)
    {
        switch (value)
        {
            case ulong unsigned:
                result = unsigned;
                return true;
            case long signed:
                result = unchecked((ulong)signed);
                return true;
            default:
                result = 0;
                return false;
        }
    }

    private ulong JsonUInt64(string name, object? value) =>
        TryJsonUInt64(value, out ulong result) ? result : throw BackendMessages.Expects(name, "uint64");

    private static QemuOptionException InvalidType(string name, string expected) => new($"Invalid parameter type for '{name}', expected: {expected}");

    /// <summary>Marks <paramref name="name"/> visited; used for members read by other means.</summary>
    public void Processed(string name)
    {
        _unprocessed.Remove(name);
        if (_present.Contains(name) && name != "qom-type" && name != "id")
        {
            _visitedPresent.Add(name);
        }
    }

    public string? String(string name)
    {
        if (!Has(name))
        {
            return null;
        }
        string value = _json is null ? Text(name) : JsonValue(name) as string ?? throw InvalidType(name, "string");
        Processed(name);
        return value;
    }

    public string RequiredString(string name) => String(name) ?? throw BackendMessages.MissingParameter(name);

    public bool? Bool(string name)
    {
        if (!Has(name))
        {
            return null;
        }
        bool value = _json is null ? QemuValue.ParseBool(name, Text(name)) : JsonValue(name) as bool? ?? throw InvalidType(name, "boolean");
        Processed(name);
        return value;
    }

    public ulong? Size(string name)
    {
        if (!Has(name))
        {
            return null;
        }
        ulong value;
        if (_json is not null)
        {
            value = JsonUInt64(name, JsonValue(name));
        }
        else if (!QemuValue.TryParseSize(Text(name), 1, out value))
        {
            throw BackendMessages.Expects(name, "a size value");
        }
        Processed(name);
        return value;
    }

    public ulong RequiredSize(string name) => Size(name) ?? throw BackendMessages.MissingParameter(name);

    /// <summary>An unsigned member of C type <paramref name="cType"/> ("uint32_t") with maximum <paramref name="max"/>.</summary>
    public ulong? Unsigned(string name, ulong max, string cType)
    {
        if (!Has(name))
        {
            return null;
        }
        ulong value;
        if (_json is not null)
        {
            value = JsonUInt64(name, JsonValue(name));
        }
        else
        {
            string text = Text(name);
            if (!ParseUInt(text, 0, out value, out int end) || end != text.Length)
            {
                throw BackendMessages.Expects(name, "a uint64 value");
            }
        }
        if (value > max)
        {
            throw BackendMessages.Expects(name, cType);
        }
        Processed(name);
        return value;
    }

    public string? Enum(string name, IReadOnlyList<string> values)
    {
        if (!Has(name))
        {
            return null;
        }
        string value = _json is null ? Text(name) : JsonValue(name) as string ?? throw InvalidType(name, "string");
        if (!values.Contains(value))
        {
            throw BackendMessages.BadEnum(name, value);
        }
        Processed(name);
        return value;
    }

    /// <summary>
    /// A list of uint16: each repetition of the option is one element or an "N-M" range.
    /// </summary>
    public List<ulong>? UInt16List(string name)
    {
        if (!Has(name))
        {
            return null;
        }
        var result = new List<ulong>();
        if (_json is not null)
        {
            if (JsonValue(name) is not List<object?> items)
            {
                throw InvalidType(name, "array");
            }
            for (int i = 0; i < items.Count; i++)
            {
                ulong item = JsonUInt64($"{name}[{i}]", items[i]);
                // QAPI names list elements "null" in this message.
                result.Add(item <= ushort.MaxValue ? item : throw BackendMessages.Expects("null", "uint16_t"));
            }
            Processed(name);
            return result;
        }
        foreach (string text in AllValues(name))
        {
            if (!ParseUInt(text, 0, out ulong first, out int end))
            {
                throw BackendMessages.Expects(name, "a uint64 value or range");
            }
            ulong last = first;
            if (end != text.Length)
            {
                if (text[end] != '-' || !ParseUInt(text, end + 1, out last, out int rangeEnd) || rangeEnd != text.Length
                    || first > last || last - first >= RangeMax)
                {
                    throw BackendMessages.Expects(name, "a uint64 value or range");
                }
            }
            for (ulong value = first; ; value++)
            {
                // QAPI names list elements "null" in this message.
                if (value > ushort.MaxValue)
                {
                    throw BackendMessages.Expects("null", "uint16_t");
                }
                result.Add(value);
                if (value == last)
                {
                    break;
                }
            }
        }
        Processed(name);
        return result;
    }

    /// <summary>Fails on the first option no member consumed, as QEMU's opts_check_struct.</summary>
    public void CheckAllProcessed()
    {
        string? leftover = _unprocessed.First();
        if (leftover is not null)
        {
            throw _json is null ? BackendMessages.InvalidParameter(leftover) : new QemuOptionException($"Parameter '{leftover}' is unexpected");
        }
    }

    // QemuOpts keeps every repetition, while QemuOpts.Get returns only the last, so lists are
    // re-read from the option text.
    private IEnumerable<string> AllValues(string name)
    {
        var values = new List<string>();
        var element = new StringBuilder();
        string text = _opts!.Text;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] == ',' && i + 1 < text.Length && text[i + 1] == ',')
            {
                element.Append(',');
                i++;
                continue;
            }
            if (i == text.Length || text[i] == ',')
            {
                string item = element.ToString();
                int equals = item.IndexOf('=');
                if (equals >= 0 && item.AsSpan(0, equals).SequenceEqual(name))
                {
                    values.Add(item[(equals + 1)..]);
                }
                element.Clear();
                continue;
            }
            element.Append(text[i]);
        }
        return values.Count > 0 ? values : [Text(name)];
    }

    /// <summary>
    /// QEMU's parse_uint: strtoull with base 0 (decimal, 0x hex, leading-0 octal) after optional
    /// white space; negative numbers and overflow fail. <paramref name="end"/> is where it stopped.
    /// </summary>
    public static bool ParseUInt(string text, int start, out ulong value, out int end)
    {
        value = 0;
        end = start;
        int i = start;
        while (i < text.Length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r')))
        {
            i++;
        }
        bool negative = false;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            negative = text[i] == '-';
            i++;
        }
        int radix = 10;
        if (i + 2 < text.Length && text[i] == '0' && (text[i + 1] | 0x20) == 'x' && Uri.IsHexDigit(text[i + 2]))
        {
            radix = 16;
            i += 2;
        }
        else if (i < text.Length && text[i] == '0')
        {
            radix = 8;
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
            accumulator = accumulator * (uint)radix + (uint)digit;
            overflow |= accumulator > ulong.MaxValue;
            if (overflow)
            {
                accumulator = ulong.MaxValue;
            }
        }
        if (i == digitsStart)
        {
            return false;
        }
        end = i;
        value = (ulong)accumulator;
        return !overflow && !negative;
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
