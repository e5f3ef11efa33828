using System.Globalization;
using System.Text;

namespace Vnvdimm.Host.Json;

/// <summary>
/// QEMU 7.2's JSON parser (json-parser.c) over the tokens of one message: the first error is
/// the one reported, in its words, and strings are checked as QEMU checks them (modified UTF-8,
/// \u escapes with surrogate pairs, no noncharacters). Integers become long, then ulong, then
/// double, as QEMU's QNum does.
/// </summary>
internal static class QemuJsonParser
{
    public enum TokenType
    {
        Error,
        LeftCurly,
        RightCurly,
        LeftSquare,
        RightSquare,
        Colon,
        Comma,
        Integer,
        Float,
        Keyword,
        String,

        /// <summary>A token the lexer cut off at the size limit.</summary>
        Partial,
    }

    public readonly record struct Token(TokenType Type, byte[] Text);

    // parse_error formats into a 1024-byte buffer.
    private const int MaxMessageBytes = 1023;

    public static object? Parse(IReadOnlyList<Token> tokens)
    {
        int position = 0;
        return ParseValue(tokens, ref position);
    }

    private static JsonParseException Error(string message) => Error(Encoding.UTF8.GetBytes(message));

    private static JsonParseException Error(byte[] message) =>
        new("JSON parse error, " + DecodeForMessage(message.AsSpan(0, Math.Min(message.Length, MaxMessageBytes))));

    private static Token? Peek(IReadOnlyList<Token> tokens, int position) => position < tokens.Count ? tokens[position] : null;

    private static Token Pop(IReadOnlyList<Token> tokens, ref int position) =>
        position < tokens.Count ? tokens[position++] : throw Error("premature EOI");

    private static object? ParseValue(IReadOnlyList<Token> tokens, ref int position)
    {
        Token token = Peek(tokens, position) ?? throw Error("premature EOI");
        switch (token.Type)
        {
            case TokenType.LeftCurly:
                return ParseObject(tokens, ref position);
            case TokenType.LeftSquare:
                return ParseArray(tokens, ref position);
            case TokenType.String:
                position++;
                return ParseString(token.Text);
            case TokenType.Integer or TokenType.Float:
                position++;
                return ParseNumber(token);
            case TokenType.Keyword:
                position++;
                return Encoding.ASCII.GetString(token.Text) switch
                {
                    "true" => true,
                    "false" => false,
                    "null" => null,
                    _ => throw Error([.. "invalid keyword '"u8, .. token.Text, .. "'"u8]),
                };
            default:
                throw Error("expecting value");
        }
    }

    private static QemuJsonObject ParseObject(IReadOnlyList<Token> tokens, ref int position)
    {
        position++;
        var dict = new QemuJsonObject();
        Token first = Peek(tokens, position) ?? throw Error("premature EOI");
        if (first.Type == TokenType.RightCurly)
        {
            position++;
            return dict;
        }
        ParsePair(tokens, ref position, dict);
        Token token = Pop(tokens, ref position);
        while (token.Type != TokenType.RightCurly)
        {
            if (token.Type != TokenType.Comma)
            {
                throw Error("expected separator in dict");
            }
            ParsePair(tokens, ref position, dict);
            token = Pop(tokens, ref position);
        }
        return dict;
    }

    private static void ParsePair(IReadOnlyList<Token> tokens, ref int position, QemuJsonObject dict)
    {
        if (Peek(tokens, position) is null)
        {
            throw Error("premature EOI");
        }
        if (ParseValue(tokens, ref position) is not string key)
        {
            throw Error("key is not a string in object");
        }
        if (Pop(tokens, ref position).Type != TokenType.Colon)
        {
            throw Error("missing : in object pair");
        }
        object? value = ParseValue(tokens, ref position);
        if (dict.TryGet(key, out _))
        {
            throw Error("duplicate key");
        }
        dict.Add(key, value);
    }

    private static List<object?> ParseArray(IReadOnlyList<Token> tokens, ref int position)
    {
        position++;
        var list = new List<object?>();
        Token first = Peek(tokens, position) ?? throw Error("premature EOI");
        if (first.Type == TokenType.RightSquare)
        {
            position++;
            return list;
        }
        list.Add(ParseValue(tokens, ref position));
        Token token = Pop(tokens, ref position);
        while (token.Type != TokenType.RightSquare)
        {
            if (token.Type != TokenType.Comma)
            {
                throw Error("expected separator in list");
            }
            list.Add(ParseValue(tokens, ref position));
            token = Pop(tokens, ref position);
        }
        return list;
    }

    private static object ParseNumber(Token token)
    {
        string text = Encoding.ASCII.GetString(token.Text);
        if (token.Type == TokenType.Integer)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed))
            {
                return signed;
            }
            if (text[0] != '-' && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong unsigned))
            {
                return unsigned;
            }
        }
        // strtod: out of range gives ±inf or 0, never an error.
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static string ParseString(byte[] text)
    {
        byte quote = text[0];
        var value = new StringBuilder();
        int i = 1;
        while (text[i] != quote)
        {
            if (text[i] != (byte)'\\')
            {
                int codepoint = ModifiedUtf8Codepoint(text, i, out int end);
                if (codepoint < 0)
                {
                    throw Error("invalid UTF-8 sequence in string");
                }
                i = end;
                value.Append(char.ConvertFromUtf32(codepoint));
                continue;
            }
            int begin = i;
            i += 2;
            switch (text[begin + 1])
            {
                case (byte)'"': value.Append('"'); break;
                case (byte)'\'': value.Append('\''); break;
                case (byte)'\\': value.Append('\\'); break;
                case (byte)'/': value.Append('/'); break;
                case (byte)'b': value.Append('\b'); break;
                case (byte)'f': value.Append('\f'); break;
                case (byte)'n': value.Append('\n'); break;
                case (byte)'r': value.Append('\r'); break;
                case (byte)'t': value.Append('\t'); break;
                case (byte)'u':
                    int codepoint = FourHexDigits(text, i);
                    i += 4;
                    if (codepoint is >= 0xD800 and <= 0xDBFF && At(text, i) == (byte)'\\' && At(text, i + 1) == (byte)'u')
                    {
                        int trailing = FourHexDigits(text, i + 2);
                        if (trailing is >= 0xDC00 and <= 0xDFFF)
                        {
                            codepoint = 0x10000 + ((codepoint & 0x3FF) << 10) | trailing & 0x3FF;
                            i += 6;
                        }
                        else
                        {
                            codepoint = -1;
                        }
                    }
                    if (!IsValidCodepoint(codepoint))
                    {
                        // The message quotes the escape as C's "%.*s" does: cut at the token's end.
                        int length = Math.Min(i, text.Length) - begin;
                        throw Error([.. text.AsSpan(begin, length), .. " is not a valid Unicode character"u8]);
                    }
                    value.Append(char.ConvertFromUtf32(codepoint));
                    break;
                default:
                    throw Error("invalid escape sequence in string");
            }
        }
        return value.ToString();
    }

    // The token is a C string: past its end there is a NUL.
    private static int At(byte[] text, int index) => index < text.Length ? text[index] : 0;

    private static int FourHexDigits(byte[] text, int index)
    {
        int value = 0;
        for (int k = 0; k < 4; k++)
        {
            int digit = HexValue(At(text, index + k));
            if (digit < 0)
            {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static int HexValue(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool IsValidCodepoint(int codepoint) =>
        codepoint is >= 0 and <= 0x10FFFF
        && codepoint is not (>= 0xFDD0 and <= 0xFDEF)
        && (codepoint & 0xFFFE) != 0xFFFE
        && codepoint is not (>= 0xD800 and <= 0xDFFF);

    /// <summary>
    /// QEMU's mod_utf8_codepoint over at most 6 bytes: the codepoint at <paramref name="index"/>
    /// (0 for the overlong C0 80) or -1, and where the next one starts.
    /// </summary>
    private static int ModifiedUtf8Codepoint(ReadOnlySpan<byte> text, int index, out int end)
    {
        ReadOnlySpan<int> minimum = [0x80, 0x800, 0x10000, 0x200000, 0x4000000];
        int first = index < text.Length ? text[index] : 0;
        if (first == 0)
        {
            end = index;
            return -1;
        }
        end = index + 1;
        if (first < 0x80)
        {
            return first;
        }
        if (first >= 0xFE || (first & 0x40) == 0)
        {
            return -1;
        }
        int length = 0;
        int mask = 0x80;
        for (; (first & mask) != 0; mask >>= 1)
        {
            length++;
        }
        int codepoint = first & (mask - 1);
        for (int k = 1; k < length; k++)
        {
            int next = k < 6 && end < text.Length ? text[end] : 0;
            if ((next & 0xC0) != 0x80)
            {
                return -1;
            }
            end++;
            codepoint = codepoint << 6 | next & 0x3F;
        }
        if (!IsValidCodepoint(codepoint) || codepoint < minimum[length - 2] && !(codepoint == 0 && length == 2))
        {
            return -1;
        }
        return codepoint;
    }

    /// <summary>
    /// Bytes quoted in an error message as QEMU's to_json shows them: up to the first NUL (the
    /// message is a C string), invalid sequences as U+FFFD.
    /// </summary>
    public static string DecodeForMessage(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            bytes = bytes[..nul];
        }
        var text = new StringBuilder(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            int codepoint = ModifiedUtf8Codepoint(bytes, i, out int end);
            text.Append(codepoint < 0 ? "\uFFFD" : char.ConvertFromUtf32(codepoint));
            i = end;
        }
        return text.ToString();
    }
}
