namespace Vnvdimm.Guest.Console;

/// <summary>
/// Binary output onto a text console: to the console's byte stream when it has one (the text written
/// so far flushed first, so the order holds), else each byte as the Latin-1 character of the same value.
/// </summary>
internal sealed class TextWriterStream(TextWriter writer, Stream? bytes = null) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
        writer.Flush();
        bytes?.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (bytes is null)
        {
            writer.Write(System.Text.Encoding.Latin1.GetString(buffer, offset, count));
            return;
        }
        writer.Flush();
        bytes.Write(buffer, offset, count);
    }
}
