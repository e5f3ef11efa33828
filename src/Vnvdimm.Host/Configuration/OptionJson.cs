using System.Globalization;
using System.Text;

namespace Vnvdimm.Host.Configuration;

/// <summary>
/// A JSON object from an option argument ("-object '{...}'", "-device '{...}'"): members in the
/// order written (keys are unique). Values are OptionJsonObject, List&lt;object?&gt;, string,
/// long, ulong, double, bool or null, as QEMU's QObjects (QNum keeps int, uint or double).
/// </summary>
public sealed class OptionJsonObject
{
    private readonly List<KeyValuePair<string, object?>> _members = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Members => _members;

    public bool Contains(string key) => _members.Any(m => m.Key == key);

    public bool TryGet(string key, out object? value)
    {
        foreach (KeyValuePair<string, object?> member in _members)
        {
            if (member.Key == key)
            {
                value = member.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>qdict_get_try_str: the member if it is a string, else null.</summary>
    public string? TryGetString(string key) => TryGet(key, out object? value) ? value as string : null;

    internal void Add(string key, object? value) => _members.Add(new(key, value));
}

/// <summary>
/// QEMU 7.2's qobject_from_json for command-line options: its lexer (single- and double-quoted
/// strings, integers and floats, lower-case keywords), its streamer (a value ends when its braces
/// and brackets balance; a lexer error is reported at once) and its parser, with their messages
/// ("JSON parse error, premature EOI", "JSON parse error, stray '…'", "Expecting at most one JSON
/// value", …). Errors are QemuOptionExceptions without location.
/// </summary>
public static class OptionJson
{
    // json-streamer.c's MAX_NESTING.
    private const int MaxNesting = 1024;

    private enum TokenType
    {
        LeftCurly,
        RightCurly,
        LeftSquare,
        RightSquare,
        Colon,
        Comma,
        String,
        Integer,
        Float,
        Keyword,
        Error,
    }

    private readonly record struct Token(TokenType Type, string Text);

    /// <summary>Parses <paramref name="text"/> as exactly one JSON value.</summary>
    public static object? Parse(string text)
    {
        var pending = new List<Token>();
        int braces = 0, brackets = 0;
        bool haveResult = false;
        object? result = null;
        foreach (Token token in Lex(text))
        {
            if (haveResult)
            {
                throw Error("Expecting at most one JSON value");
            }
            if (token.Type == TokenType.Error)
            {
                throw Error($"JSON parse error, stray '{token.Text}'");
            }
            braces += token.Type switch { TokenType.LeftCurly => 1, TokenType.RightCurly => -1, _ => 0 };
            brackets += token.Type switch { TokenType.LeftSquare => 1, TokenType.RightSquare => -1, _ => 0 };
            pending.Add(token);
            if (braces + brackets > MaxNesting)
            {
                throw Error("JSON nesting depth limit exceeded");
            }
            if (braces < 0 || brackets < 0 || (braces == 0 && brackets == 0))
            {
                result = new Parser(pending).ParseMessage();
                haveResult = true;
                pending.Clear();
                braces = brackets = 0;
            }
        }
        if (pending.Count > 0)
        {
            // End of input inside a value: the parser runs on what there is.
            new Parser(pending).ParseMessage();
        }
        if (!haveResult)
        {
            throw Error("Expecting a JSON value");
        }
        return result;
    }

    private static QemuOptionException Error(string message) => new(message);

    // json-lexer.c: a token ends where its state machine cannot go on; an error token holds the
    // text read so far including the character that could not be taken.
    private static IEnumerable<Token> Lex(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int start = i;
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    i++;
                    continue;
                case '{': i++; yield return new Token(TokenType.LeftCurly, "{"); continue;
                case '}': i++; yield return new Token(TokenType.RightCurly, "}"); continue;
                case '[': i++; yield return new Token(TokenType.LeftSquare, "["); continue;
                case ']': i++; yield return new Token(TokenType.RightSquare, "]"); continue;
                case ':': i++; yield return new Token(TokenType.Colon, ":"); continue;
                case ',': i++; yield return new Token(TokenType.Comma, ","); continue;
                case '"' or '\'':
                    yield return LexString(text, ref i);
                    continue;
                case '-' or (>= '0' and <= '9'):
                    yield return LexNumber(text, ref i);
                    continue;
                case >= 'a' and <= 'z':
                    while (i < text.Length && text[i] is >= 'a' and <= 'z')
                    {
                        i++;
                    }
                    yield return new Token(TokenType.Keyword, text[start..i]);
                    continue;
                default:
                    i++;
                    yield return new Token(TokenType.Error, text[start..i]);
                    yield break;
            }
        }
    }

    private static Token LexString(string text, ref int i)
    {
        int start = i;
        char quote = text[i++];
        while (i < text.Length)
        {
            char c = text[i++];
            if (c == quote)
            {
                return new Token(TokenType.String, text[start..i]);
            }
            if (c < 0x20)
            {
                return new Token(TokenType.Error, text[start..i]);
            }
            if (c == '\\')
            {
                if (i >= text.Length)
                {
                    break;
                }
                if (text[i] < 0x20)
                {
                    return new Token(TokenType.Error, text[start..(i + 1)]);
                }
                i++;
            }
        }
        return new Token(TokenType.Error, text[start..]);
    }

    private static Token LexNumber(string text, ref int i)
    {
        int start = i;
        int p = i;
        Token? token = ScanNumber(text, ref p);
        i = p;
        return token ?? new Token(TokenType.Error, text[start..Math.Min(text.Length, p + 1)]);
    }

    // Advances past a number; null when a character cannot continue it (p is at that character).
    private static Token? ScanNumber(string text, ref int p)
    {
        int start = p;
        if (text[p] == '-')
        {
            p++;
            if (!IsDigit(text, p))
            {
                return null;
            }
        }
        if (text[p] == '0')
        {
            p++;
            if (IsDigit(text, p))
            {
                return null;
            }
        }
        else
        {
            SkipDigits(text, ref p);
        }
        bool isFloat = false;
        if (p < text.Length && text[p] == '.')
        {
            p++;
            if (!IsDigit(text, p))
            {
                return null;
            }
            SkipDigits(text, ref p);
            isFloat = true;
        }
        if (p < text.Length && text[p] is 'e' or 'E')
        {
            p++;
            if (p < text.Length && text[p] is '+' or '-')
            {
                p++;
            }
            if (!IsDigit(text, p))
            {
                return null;
            }
            SkipDigits(text, ref p);
            isFloat = true;
        }
        return new Token(isFloat ? TokenType.Float : TokenType.Integer, text[start..p]);
    }

    private static bool IsDigit(string text, int at) => at < text.Length && char.IsAsciiDigit(text[at]);

    private static void SkipDigits(string text, ref int p)
    {
        while (IsDigit(text, p))
        {
            p++;
        }
    }

    // json-parser.c over one message's tokens; the first error is the one reported.
    private sealed class Parser(List<Token> tokens)
    {
        private int _next;

        public object? ParseMessage() => ParseValue();

        private Token? Peek() => _next < tokens.Count ? tokens[_next] : null;

        private Token? Pop() => _next < tokens.Count ? tokens[_next++] : null;

        private static QemuOptionException ParseError(string message) => Error($"JSON parse error, {message}");

        private object? ParseValue()
        {
            Token token = Peek() ?? throw ParseError("premature EOI");
            switch (token.Type)
            {
                case TokenType.LeftCurly:
                    return ParseObject();
                case TokenType.LeftSquare:
                    return ParseArray();
                case TokenType.String:
                    _next++;
                    return ParseString(token.Text);
                case TokenType.Integer:
                    _next++;
                    return ParseInteger(token.Text);
                case TokenType.Float:
                    _next++;
                    return double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
                case TokenType.Keyword:
                    _next++;
                    return token.Text switch
                    {
                        "true" => true,
                        "false" => false,
                        "null" => null,
                        _ => throw ParseError($"invalid keyword '{token.Text}'"),
                    };
                default:
                    throw ParseError("expecting value");
            }
        }

        private OptionJsonObject ParseObject()
        {
            Pop();
            var dict = new OptionJsonObject();
            Token first = Peek() ?? throw ParseError("premature EOI");
            if (first.Type == TokenType.RightCurly)
            {
                Pop();
                return dict;
            }
            ParsePair(dict);
            Token token = Pop() ?? throw ParseError("premature EOI");
            while (token.Type != TokenType.RightCurly)
            {
                if (token.Type != TokenType.Comma)
                {
                    throw ParseError("expected separator in dict");
                }
                ParsePair(dict);
                token = Pop() ?? throw ParseError("premature EOI");
            }
            return dict;
        }

        private void ParsePair(OptionJsonObject dict)
        {
            if (ParseValue() is not string key)
            {
                throw ParseError("key is not a string in object");
            }
            Token colon = Pop() ?? throw ParseError("premature EOI");
            if (colon.Type != TokenType.Colon)
            {
                throw ParseError("missing : in object pair");
            }
            object? value = ParseValue();
            if (dict.Contains(key))
            {
                throw ParseError("duplicate key");
            }
            dict.Add(key, value);
        }

        private List<object?> ParseArray()
        {
            Pop();
            var list = new List<object?>();
            Token first = Peek() ?? throw ParseError("premature EOI");
            if (first.Type == TokenType.RightSquare)
            {
                Pop();
                return list;
            }
            list.Add(ParseValue());
            Token token = Pop() ?? throw ParseError("premature EOI");
            while (token.Type != TokenType.RightSquare)
            {
                if (token.Type != TokenType.Comma)
                {
                    throw ParseError("expected separator in list");
                }
                list.Add(ParseValue());
                token = Pop() ?? throw ParseError("premature EOI");
            }
            return list;
        }

        // An integer that fits int64 is signed, else one that fits uint64 is unsigned, else a double.
        private static object ParseInteger(string text)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long signed))
            {
                return signed;
            }
            if (text[0] != '-' && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong unsigned))
            {
                return unsigned;
            }
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        // parse_string: the token with its quotes; escapes as QEMU's, \u with surrogate pairs.
        private static string ParseString(string token)
        {
            var result = new StringBuilder();
            int end = token.Length - 1;
            for (int p = 1; p < end; p++)
            {
                char c = token[p];
                if (c != '\\')
                {
                    result.Append(c);
                    continue;
                }
                int escape = p;
                p++;
                switch (token[p])
                {
                    case '"': result.Append('"'); break;
                    case '\'': result.Append('\''); break;
                    case '\\': result.Append('\\'); break;
                    case '/': result.Append('/'); break;
                    case 'b': result.Append('\b'); break;
                    case 'f': result.Append('\f'); break;
                    case 'n': result.Append('\n'); break;
                    case 'r': result.Append('\r'); break;
                    case 't': result.Append('\t'); break;
                    case 'u':
                        int codePoint = FourHex(token, p + 1);
                        int after = p + 5;
                        if (codePoint is >= 0xD800 and <= 0xDBFF && after + 1 < token.Length && token[after] == '\\' && token[after + 1] == 'u')
                        {
                            int trailing = FourHex(token, after + 2);
                            if (trailing is >= 0xDC00 and <= 0xDFFF)
                            {
                                codePoint = 0x10000 + ((codePoint & 0x3FF) << 10) + (trailing & 0x3FF);
                                after += 6;
                            }
                            else
                            {
                                codePoint = -1;
                            }
                        }
                        if (codePoint < 0 || codePoint is >= 0xD800 and <= 0xDFFF)
                        {
                            string shown = token[escape..Math.Min(after, token.Length)];
                            throw ParseError($"{shown} is not a valid Unicode character");
                        }
                        result.Append(char.ConvertFromUtf32(codePoint));
                        p = after - 1;
                        break;
                    default:
                        throw ParseError("invalid escape sequence in string");
                }
            }
            return result.ToString();
        }

        private static int FourHex(string text, int start)
        {
            if (start + 4 > text.Length)
            {
                return -1;
            }
            int value = 0;
            for (int i = start; i < start + 4; i++)
            {
                int digit = Uri.IsHexDigit(text[i]) ? Convert.ToInt32(text[i].ToString(), 16) : -1;
                if (digit < 0)
                {
                    return -1;
                }
                value = (value << 4) | digit;
            }
            return value;
        }
    }
}
