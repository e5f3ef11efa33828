namespace Vnvdimm.Host.Monitor.Qmp;

/// <summary>
/// Cuts a QMP byte stream into top-level JSON values as QEMU's json-streamer does: a value is
/// complete when its braces and brackets balance (strings and escapes respected), so several
/// values may share a line and one may span lines. A value longer than <see cref="MaxValueBytes"/>
/// is reported as an error and the rest of its line is dropped.
/// </summary>
internal sealed class QmpStreamSplitter(int maxValueBytes = QmpStreamSplitter.DefaultMaxValueBytes)
{
    /// <summary>Far below QEMU's 64 MiB token limit: no QMP command needs more.</summary>
    public const int DefaultMaxValueBytes = 1 << 20;

    private readonly List<byte> _value = [];
    private int _depth;
    private bool _inString;
    private bool _escape;
    private byte _quote;
    private bool _skipToNewline;

    public int MaxValueBytes { get; } = maxValueBytes;

    /// <summary>One complete value (Text) or an error to answer (Error).</summary>
    public readonly record struct Item(byte[]? Text, string? Error);

    public IEnumerable<Item> Feed(ReadOnlyMemory<byte> data)
    {
        var items = new List<Item>();
        foreach (byte b in data.Span)
        {
            if (_skipToNewline)
            {
                _skipToNewline = b != (byte)'\n';
                continue;
            }
            if (_value.Count == 0 && _depth == 0 && b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }
            if (_value.Count > 0 && _depth == 0 && !_inString && IsDelimiter(b))
            {
                // The end of a top-level scalar ("bad", 123, "str").
                items.Add(new Item(_value.ToArray(), null));
                _value.Clear();
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    continue;
                }
            }
            _value.Add(b);
            if (_value.Count > MaxValueBytes)
            {
                items.Add(new Item(null, "JSON token size limit exceeded"));
                Reset();
                _skipToNewline = b != (byte)'\n';
                continue;
            }
            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                }
                else if (b == (byte)'\\')
                {
                    _escape = true;
                }
                else if (b == _quote)
                {
                    _inString = false;
                    if (_depth == 0)
                    {
                        Complete(items);
                    }
                }
                continue;
            }
            switch (b)
            {
                case (byte)'"' or (byte)'\'':
                    _inString = true;
                    _quote = b;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    if (_depth > 1024)
                    {
                        items.Add(new Item(null, "JSON nesting depth limit exceeded"));
                        Reset();
                        _skipToNewline = true;
                    }
                    break;
                case (byte)'}' or (byte)']':
                    _depth--;
                    if (_depth <= 0)
                    {
                        Complete(items);
                    }
                    break;
            }
        }
        return items;
    }

    private void Complete(List<Item> items)
    {
        items.Add(new Item(_value.ToArray(), null));
        Reset();
    }

    private void Reset()
    {
        _value.Clear();
        _depth = 0;
        _inString = false;
        _escape = false;
    }

    private static bool IsDelimiter(byte b) =>
        b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'{' or (byte)'[' or (byte)'"' or (byte)'\'';
}
