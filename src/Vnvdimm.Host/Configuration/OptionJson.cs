using System.Text;
using Vnvdimm.Host.Json;

namespace Vnvdimm.Host.Configuration;

/// <summary>
/// QEMU 7.2's qobject_from_json for command-line options ("-object '{...}'", "-device '{...}'"):
/// the same lexer, streamer and parser as QMP's (<see cref="QemuJsonStreamer"/>), fed the whole
/// argument and flushed, and consume_json's rules on top: the first error wins, a second value is
/// "Expecting at most one JSON value", none is "Expecting a JSON value". Errors are
/// QemuOptionExceptions without location.
/// </summary>
public static class OptionJson
{
    /// <summary>Parses <paramref name="text"/> as exactly one JSON value (an object, list, string, number, bool or null).</summary>
    public static object? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var streamer = new QemuJsonStreamer();
        bool haveResult = false;
        object? result = null;
        string? error = null;
        foreach (QemuJsonStreamer.Item item in streamer.Feed(Encoding.UTF8.GetBytes(text)).Concat(streamer.Flush()))
        {
            if (haveResult)
            {
                haveResult = false;
                result = null;
                error = "Expecting at most one JSON value";
            }
            if (error is not null)
            {
                continue;
            }
            if (item.Error is not null)
            {
                error = item.Error;
                continue;
            }
            result = item.Value;
            haveResult = true;
        }
        if (error is not null)
        {
            throw new QemuOptionException(error);
        }
        return haveResult ? result : throw new QemuOptionException("Expecting a JSON value");
    }
}
