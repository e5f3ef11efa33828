using System.Text;

namespace Vnvdimm.Host.Json;

/// <summary>
/// The QMP input stream as QEMU 7.2 reads it (json-lexer.c and json-streamer.c): a byte-at-a-time
/// lexer whose errors become "stray" replies and which then skips to a resynchronisation point
/// (a structural character, a control character or 0xFE/0xFF), and a streamer that hands a
/// value to the parser once its braces and brackets balance, or as soon as a closer has no
/// opener. Each emitted item is one value or one error, each answered with one reply.
/// </summary>
internal sealed class QemuJsonStreamer(long maxTokenBytes = QemuJsonStreamer.MaxTokenBytes)
{
    /// <summary>QEMU's MAX_TOKEN_SIZE: per token and per message.</summary>
    public const long MaxTokenBytes = 64L << 20;

    /// <summary>QEMU's MAX_TOKEN_COUNT.</summary>
    public const int MaxTokenCount = 2 << 20;

    /// <summary>QEMU's MAX_NESTING.</summary>
    public const int MaxNesting = 1 << 10;

    /// <summary>One parsed value (Error null) or an error to answer.</summary>
    public readonly record struct Item(object? Value, string? Error);

    private enum State
    {
        Error,
        Recovery,
        DoubleQuotedEscape,
        DoubleQuoted,
        SingleQuotedEscape,
        SingleQuoted,
        Zero,
        ExponentDigits,
        ExponentSign,
        ExponentE,
        Mantissa,
        MantissaDigits,
        Digits,
        Sign,
        Keyword,
        Start,
    }

    private readonly List<byte> _token = [];
    private State _state = State.Start;

    private readonly List<QemuJsonParser.Token> _tokens = [];
    private long _tokensBytes;
    private int _braces;
    private int _brackets;

    public long MaxBytes { get; } = maxTokenBytes;

    public List<Item> Feed(ReadOnlySpan<byte> data)
    {
        var items = new List<Item>();
        foreach (byte b in data)
        {
            FeedByte(b, items);
        }
        return items;
    }

    /// <summary>End of input: finishes a pending token (json_lexer_flush) and parses what is left.</summary>
    public List<Item> Flush()
    {
        var items = new List<Item>();
        while (_state != State.Start)
        {
            (State next, QemuJsonParser.TokenType? type, bool lookahead) = Transition(_state, 0);
            _ = lookahead;
            Act(next, type, items);
        }
        if (_tokens.Count > 0)
        {
            items.Add(ParseTokens());
            Reset();
        }
        return items;
    }

    private void FeedByte(byte b, List<Item> items)
    {
        bool consumed = false;
        while (!consumed)
        {
            (State next, QemuJsonParser.TokenType? type, bool lookahead) = Transition(_state, b);
            consumed = !lookahead;
            if (consumed)
            {
                _token.Add(b);
            }
            Act(next, type, items);
        }
        if (_token.Count > MaxBytes)
        {
            // The lexer hands an over-long token to the streamer, which refuses it, and starts afresh.
            Process(QemuJsonParser.TokenType.Partial, items);
            _token.Clear();
            _state = State.Start;
        }
    }

    private void Act(State next, QemuJsonParser.TokenType? type, List<Item> items)
    {
        if (type is not null)
        {
            Process(type.Value, items);
            _token.Clear();
            _state = State.Start;
            return;
        }
        switch (next)
        {
            case State.Start:
                _token.Clear();
                _state = State.Start;
                break;
            case State.Error:
                Process(QemuJsonParser.TokenType.Error, items);
                _token.Clear();
                _state = State.Recovery;
                break;
            case State.Recovery:
                _token.Clear();
                _state = State.Recovery;
                break;
            default:
                _state = next;
                break;
        }
    }

    // json-lexer.c's table: the next state, or the token a lookahead byte ends.
    private static (State Next, QemuJsonParser.TokenType? Token, bool Lookahead) Transition(State state, byte b)
    {
        static (State, QemuJsonParser.TokenType?, bool) Go(State s) => (s, null, false);
        static (State, QemuJsonParser.TokenType?, bool) Resync() => (State.Start, null, true);
        static (State, QemuJsonParser.TokenType?, bool) Emit(QemuJsonParser.TokenType t, bool lookahead) => (State.Start, t, lookahead);
        (State, QemuJsonParser.TokenType?, bool) error = Go(State.Error);
        bool digit = b is >= (byte)'0' and <= (byte)'9';
        switch (state)
        {
            case State.Recovery:
                return b < 0x20 && b != (byte)'\t' || b >= 0xFE || b is (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)':' or (byte)','
                    ? Resync()
                    : Go(State.Recovery);
            case State.DoubleQuotedEscape:
                return b is >= 0x20 and <= 0xFD ? Go(State.DoubleQuoted) : error;
            case State.DoubleQuoted:
                return b switch
                {
                    (byte)'\\' => Go(State.DoubleQuotedEscape),
                    (byte)'"' => Emit(QemuJsonParser.TokenType.String, false),
                    >= 0x20 and <= 0xFD => Go(State.DoubleQuoted),
                    _ => error,
                };
            case State.SingleQuotedEscape:
                return b is >= 0x20 and <= 0xFD ? Go(State.SingleQuoted) : error;
            case State.SingleQuoted:
                return b switch
                {
                    (byte)'\\' => Go(State.SingleQuotedEscape),
                    (byte)'\'' => Emit(QemuJsonParser.TokenType.String, false),
                    >= 0x20 and <= 0xFD => Go(State.SingleQuoted),
                    _ => error,
                };
            case State.Zero:
                return b switch
                {
                    >= (byte)'0' and <= (byte)'9' => error,
                    (byte)'.' => Go(State.Mantissa),
                    (byte)'e' or (byte)'E' => Go(State.ExponentE),
                    _ => Emit(QemuJsonParser.TokenType.Integer, true),
                };
            case State.ExponentDigits:
                return digit ? Go(State.ExponentDigits) : Emit(QemuJsonParser.TokenType.Float, true);
            case State.ExponentSign:
                return digit ? Go(State.ExponentDigits) : error;
            case State.ExponentE:
                return b is (byte)'-' or (byte)'+' ? Go(State.ExponentSign) : digit ? Go(State.ExponentDigits) : error;
            case State.MantissaDigits:
                return digit ? Go(State.MantissaDigits)
                    : b is (byte)'e' or (byte)'E' ? Go(State.ExponentE)
                    : Emit(QemuJsonParser.TokenType.Float, true);
            case State.Mantissa:
                return digit ? Go(State.MantissaDigits) : error;
            case State.Digits:
                return digit ? Go(State.Digits)
                    : b is (byte)'e' or (byte)'E' ? Go(State.ExponentE)
                    : b == (byte)'.' ? Go(State.Mantissa)
                    : Emit(QemuJsonParser.TokenType.Integer, true);
            case State.Sign:
                return b == (byte)'0' ? Go(State.Zero) : digit ? Go(State.Digits) : error;
            case State.Keyword:
                return b is >= (byte)'a' and <= (byte)'z' ? Go(State.Keyword) : Emit(QemuJsonParser.TokenType.Keyword, true);
            case State.Start:
                return b switch
                {
                    (byte)'"' => Go(State.DoubleQuoted),
                    (byte)'\'' => Go(State.SingleQuoted),
                    (byte)'0' => Go(State.Zero),
                    >= (byte)'1' and <= (byte)'9' => Go(State.Digits),
                    (byte)'-' => Go(State.Sign),
                    (byte)'{' => Emit(QemuJsonParser.TokenType.LeftCurly, false),
                    (byte)'}' => Emit(QemuJsonParser.TokenType.RightCurly, false),
                    (byte)'[' => Emit(QemuJsonParser.TokenType.LeftSquare, false),
                    (byte)']' => Emit(QemuJsonParser.TokenType.RightSquare, false),
                    >= (byte)'a' and <= (byte)'z' => Go(State.Keyword),
                    (byte)':' => Emit(QemuJsonParser.TokenType.Colon, false),
                    (byte)',' => Emit(QemuJsonParser.TokenType.Comma, false),
                    (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' => Go(State.Start),
                    _ => error,
                };
            default:
                return error;
        }
    }

    // json_message_process_token.
    private void Process(QemuJsonParser.TokenType type, List<Item> items)
    {
        switch (type)
        {
            case QemuJsonParser.TokenType.LeftCurly: _braces++; break;
            case QemuJsonParser.TokenType.RightCurly: _braces--; break;
            case QemuJsonParser.TokenType.LeftSquare: _brackets++; break;
            case QemuJsonParser.TokenType.RightSquare: _brackets--; break;
            case QemuJsonParser.TokenType.Error:
                items.Add(new Item(null, "JSON parse error, stray '" + QemuJsonParser.DecodeForMessage(_token.ToArray()) + "'"));
                Reset();
                return;
        }
        string? limit =
            _tokensBytes + _token.Count + 1 > MaxBytes ? "JSON token size limit exceeded"
            : _tokens.Count + 1 > MaxTokenCount ? "JSON token count limit exceeded"
            : (long)_braces + _brackets > MaxNesting ? "JSON nesting depth limit exceeded"
            : null;
        if (limit is not null)
        {
            items.Add(new Item(null, limit));
            Reset();
            return;
        }
        _tokens.Add(new QemuJsonParser.Token(type, _token.ToArray()));
        _tokensBytes += _token.Count;
        if ((_braces > 0 || _brackets > 0) && _braces >= 0 && _brackets >= 0)
        {
            return;
        }
        items.Add(ParseTokens());
        Reset();
    }

    private Item ParseTokens()
    {
        try
        {
            return new Item(QemuJsonParser.Parse(_tokens), null);
        }
        catch (JsonParseException e)
        {
            return new Item(null, e.Message);
        }
    }

    private void Reset()
    {
        _tokens.Clear();
        _tokensBytes = 0;
        _braces = 0;
        _brackets = 0;
    }
}
