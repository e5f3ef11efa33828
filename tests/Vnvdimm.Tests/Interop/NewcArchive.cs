using System.Text;

namespace Vnvdimm.Tests.Interop;

/// <summary>
/// Writes a "newc" cpio archive, the format the kernel unpacks as an initramfs. Uncompressed on
/// purpose: every kernel accepts it and the harness then needs neither cpio nor gzip.
/// </summary>
internal sealed class NewcArchive
{
    private readonly MemoryStream _stream = new();
    private int _inode = 1;

    public void Directory(string name) => Entry(name, 0x41ED /* dir 0755 */, []);

    public void File(string name, byte[] data, bool executable = true) =>
        Entry(name, executable ? 0x81ED /* file 0755 */ : 0x81A4 /* file 0644 */, data);

    public void Symlink(string name, string target) => Entry(name, 0xA1FF /* link 0777 */, Encoding.ASCII.GetBytes(target));

    /// <summary>A character device node (e.g. /dev/console 5:1, so /init has a stdout before devtmpfs).</summary>
    public void CharDevice(string name, int major, int minor) => Entry(name, 0x2180 /* chr 0600 */, [], major, minor);

    /// <summary>The archive with its trailer; archives may be concatenated, the kernel unpacks each.</summary>
    public byte[] ToArray()
    {
        Entry("TRAILER!!!", 0, [], inode: 0);
        return _stream.ToArray();
    }

    private void Entry(string name, int mode, byte[] data, int rdevMajor = 0, int rdevMinor = 0, int? inode = null)
    {
        byte[] nameBytes = Encoding.ASCII.GetBytes(name.TrimStart('/') + "\0");
        int[] fields = [inode ?? _inode++, mode, 0, 0, 1, 0, data.Length, 0, 0, rdevMajor, rdevMinor, nameBytes.Length, 0];
        var header = new StringBuilder("070701");
        foreach (int field in fields)
        {
            header.Append(field.ToString("X8"));
        }
        _stream.Write(Encoding.ASCII.GetBytes(header.ToString()));
        _stream.Write(nameBytes);
        Pad();
        _stream.Write(data);
        Pad();
    }

    private void Pad()
    {
        while (_stream.Length % 4 != 0)
        {
            _stream.WriteByte(0);
        }
    }
}
